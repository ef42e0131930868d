package dev.oauthbroker.provider;

import java.time.Duration;

/**
 * The broker refused to call a provider — its circuit breaker is open ({@code circuit_open}) — so
 * nothing was sent. An instant refusal, never
 * retried: retrying would only add load to a provider already failing or saturated.
 */
public class ProviderUnavailableException extends ProviderException {

    private final Duration retryAfter;

    public ProviderUnavailableException(String reason, Duration retryAfter) {
        super(reason, "the provider is not being called right now (" + reason + ")");
        this.retryAfter = retryAfter;
    }

    /** When a new attempt may be let through: the rest of the open period, or a second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
