/** Grants: the credential set one consent produced, the tools pointing at them, their sealed rows and the rotation of their key. */
package dev.oauthbroker.grant;
