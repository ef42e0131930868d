package dev.oauthbroker.client;

/** What a backend client may call (its {@code operations} in {@code config/clients.yaml}). */
public enum Operation {
    /** {@code GET /internal/users/{userId}/tokens/{toolType}} and reporting a rejected token. */
    tokens,
    /** {@code POST /oauth/token}: RFC 8693 token exchange with the user's own session JWT. */
    exchange
}
