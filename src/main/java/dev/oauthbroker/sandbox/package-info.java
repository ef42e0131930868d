/** A strict OAuth 2.0 provider served by the demo itself, so the whole flow works with no account anywhere. */
package dev.oauthbroker.sandbox;
