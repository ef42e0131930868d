/** Disconnecting: detaching tools and revoking grants at their provider, best-effort. */
package dev.oauthbroker.revocation;
