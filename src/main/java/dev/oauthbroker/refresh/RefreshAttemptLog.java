package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.token.ProviderException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs on every failed provider attempt, before Camel schedules the next one: logs provider,
 * user, grant, attempt, next delay and error (never a token), and makes Camel honour a
 * provider's {@code Retry-After} (capped by {@code broker.refresh.max-delay}) through the
 * {@code CamelRedeliveryDelay} header.
 */
@Component("refreshAttemptLog")
public class RefreshAttemptLog implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttemptLog.class);

    private final long initialDelay;
    private final double multiplier;
    private final int maxRedeliveries;
    private final long maxDelay;

    public RefreshAttemptLog(@Value("${broker.refresh.initial-delay}") long initialDelay,
                             @Value("${broker.refresh.backoff-multiplier}") double multiplier,
                             @Value("${broker.refresh.max-redeliveries}") int maxRedeliveries,
                             @Value("${broker.refresh.max-delay}") long maxDelay) {
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxRedeliveries = maxRedeliveries;
        this.maxDelay = maxDelay;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        Long nextDelay = null;
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        if (attempt <= maxRedeliveries) {
            nextDelay = Math.min(maxDelay, (long) (initialDelay * Math.pow(multiplier, attempt - 1)));
            if (error instanceof TransientProviderException tpe && tpe.retryAfter() != null) {
                nextDelay = Math.min(maxDelay, tpe.retryAfter().toMillis());
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, nextDelay);
            }
        }
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        String what = error instanceof ProviderException pe ? pe.reason() : error == null ? "unknown" : error.getClass().getSimpleName();
        log.warn("provider call failed (route={} provider={} user={} grant={} attempt={} of {} nextDelayMs={} error={})",
                exchange.getFromRouteId(), grant == null ? "-" : grant.provider(), grant == null ? "-" : grant.userId(),
                grant == null ? "-" : grant.id(), attempt, maxRedeliveries + 1,
                nextDelay == null ? "none (giving up)" : nextDelay, what);
    }

}
