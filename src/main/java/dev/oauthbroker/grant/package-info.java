/** Grants: the credential set one consent produced, the tools pointing at it, and its audit trail. */
package dev.oauthbroker.grant;
