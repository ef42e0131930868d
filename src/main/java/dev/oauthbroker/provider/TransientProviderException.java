package dev.oauthbroker.provider;

import java.time.Duration;

/** A failure worth retrying: 5xx, 429, or a provider's own "try later" code. */
public class TransientProviderException extends ProviderException {

    private final Duration retryAfter;

    public TransientProviderException(String reason, Duration retryAfter) {
        super(sanitize(reason), "the provider is temporarily unavailable (" + sanitize(reason) + ")");
        this.retryAfter = retryAfter;
    }

    /** The provider's {@code Retry-After}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
