package dev.oauthbroker.provider;

/**
 * The grant is dead (RFC 6749 §5.2 {@code invalid_grant} and every provider's variant of it): the
 * user must consent again. Never retried.
 */
public class InvalidGrantException extends ProviderException {
    public InvalidGrantException(String reason) {
        super(sanitize(reason), "the provider rejected the grant (" + sanitize(reason) + ")");
    }
}
