/**
 * The host's backend clients: who may fetch which users' tokens, with which keys (hashes only),
 * and the record of what each fetched.
 */
package dev.oauthbroker.client;
