package dev.oauthbroker.provider;

/**
 * The refresh request was sent but no answer came back, and the provider's refresh tokens rotate
 * with no reuse leeway: the refresh token may already be spent, and sending it again could make
 * the provider revoke the whole token family (RFC 9700 §4.14.2). Not retried.
 */
public class AmbiguousRefreshException extends ProviderException {
    public AmbiguousRefreshException() {
        super("ambiguous", "the refresh answer was lost; the rotating refresh token may be spent");
    }
}
