/** Encryption of token material at rest: AES-256-GCM with rotating keys. */
package dev.oauthbroker.crypto;
