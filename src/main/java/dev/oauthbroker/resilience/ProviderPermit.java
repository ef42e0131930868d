package dev.oauthbroker.resilience;

import dev.oauthbroker.provider.AmbiguousRefreshException;
import dev.oauthbroker.provider.LostRefreshAnswerException;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.TransientProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leave to send one refresh call to a provider: its circuit breaker's permission. Released exactly once, whatever happened, with what the call tells about the
 * provider's health: a transient failure (5xx, 429, network error, timeout) counts against the
 * breaker; an answer — tokens, {@code invalid_grant}, another refusal — shows the provider is up;
 * a failure of our own says nothing about it and is not counted.
 */
public final class ProviderPermit {

    private final CircuitBreaker breaker;
    private final long startedNanos = System.nanoTime();
    private final AtomicBoolean released = new AtomicBoolean();

    ProviderPermit(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /** Ends the call: {@code failure} is what it threw, or null when the provider issued tokens. */
    void release(Throwable failure) {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        long took = System.nanoTime() - startedNanos;
        if (failure == null || failure instanceof ProviderException && !isTransient(failure)) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } else if (isTransient(failure)) {
            breaker.onError(took, TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.releasePermission();
        }
    }

    /** The failures that say the provider is unwell rather than that it answered. */
    static boolean isTransient(Throwable failure) {
        return failure instanceof TransientProviderException || failure instanceof IOException
                || failure instanceof AmbiguousRefreshException || failure instanceof LostRefreshAnswerException;
    }
}
