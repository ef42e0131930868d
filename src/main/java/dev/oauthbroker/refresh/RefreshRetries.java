package dev.oauthbroker.refresh;

import dev.oauthbroker.token.TransientProviderException;
import dev.oauthbroker.web.RequestDeadlines;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.stereotype.Component;

/**
 * When a failed provider call is tried again: within the Camel redelivery policy (attempts, backoff,
 * cap), after the provider's {@code Retry-After} where it gave one (capped by the policy), and only
 * when that wait still ends before the refresh's deadline — otherwise the caller gets our answer
 * now rather than a web server's timeout later. The {@code retryWhile} of the refresh routes.
 */
@Component("refreshRetries")
public class RefreshRetries {

    /** Exchange property: the number of the refresh call attempt under way. */
    static final String ATTEMPT = "refreshAttempt";

    private final RedeliveryPolicy policy;
    private final Clock clock;

    public RefreshRetries(RedeliveryPolicy providerRetryPolicy, Clock clock) {
        this.policy = providerRetryPolicy;
        this.clock = clock;
    }

    /** {@code retryWhile}: another attempt is allowed and its wait fits before the deadline. */
    public boolean allowed(Exchange exchange) {
        return nextDelayMs(exchange) != null;
    }

    /** The wait before the next attempt, or null when the call must not be tried again. */
    public Long nextDelayMs(Exchange exchange) {
        int attempt = attempt(exchange);
        if (attempt > policy.getMaximumRedeliveries()) {
            return null;
        }
        long delay = Math.min(policy.getMaximumRedeliveryDelay(),
                (long) (policy.getRedeliveryDelay() * Math.pow(policy.getBackOffMultiplier(), attempt - 1)));
        if (failure(exchange) instanceof TransientProviderException tpe && tpe.retryAfter() != null) {
            delay = Math.min(policy.getMaximumRedeliveryDelay(), tpe.retryAfter().toMillis());
        }
        Instant deadline = exchange.getProperty(RequestDeadlines.DEADLINE, Instant.class);
        if (deadline != null && !clock.instant().plusMillis(delay).isBefore(deadline)) {
            return null;
        }
        return delay;
    }

    /**
     * Step {@code refresh-attempt-count}: the number of the attempt about to start. Counted in an
     * exchange property because Camel's redelivery-counter header does not survive a failure
     * turned into another exception in a {@code doCatch} (a read timeout, classified).
     */
    public int nextAttempt(@ExchangeProperty(ATTEMPT) Integer previous) {
        return previous == null ? 1 : previous + 1;
    }

    /** The attempt that just failed, counting from 1. */
    public int attempt(Exchange exchange) {
        Integer counted = exchange.getProperty(ATTEMPT, Integer.class);
        return counted != null ? counted : exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
    }

    public int maxAttempts() {
        return policy.getMaximumRedeliveries() + 1;
    }

    static Throwable failure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return error == null ? exchange.getException() : error;
    }
}
