package dev.oauthbroker.provider;

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuth {
    /** {@code client_id} and {@code client_secret} in the form body. */
    client_secret_post,
    /** HTTP Basic with {@code client_id:client_secret}. */
    client_secret_basic
}
