package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.token.ProviderException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs on every failed provider attempt, before Camel schedules the next one: logs provider,
 * user, grant, attempt, next delay and error (never a token), and makes Camel honour a
 * provider's {@code Retry-After} (capped by the policy's maximum delay) through the
 * {@code CamelRedeliveryDelay} header.
 */
@Component("refreshAttemptLog")
public class RefreshAttemptLog implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttemptLog.class);

    private final RedeliveryPolicy policy;

    public RefreshAttemptLog(RedeliveryPolicy providerRetryPolicy) {
        this.policy = providerRetryPolicy;
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
        if (attempt <= policy.getMaximumRedeliveries()) {
            nextDelay = Math.min(policy.getMaximumRedeliveryDelay(),
                    (long) (policy.getRedeliveryDelay() * Math.pow(policy.getBackOffMultiplier(), attempt - 1)));
            if (error instanceof TransientProviderException tpe && tpe.retryAfter() != null) {
                nextDelay = Math.min(policy.getMaximumRedeliveryDelay(), tpe.retryAfter().toMillis());
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, nextDelay);
            }
        }
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        String what = error instanceof ProviderException pe ? pe.reason() : error == null ? "unknown" : error.getClass().getSimpleName();
        log.warn("provider call failed (route={} provider={} user={} grant={} attempt={} of {} nextDelayMs={} error={})",
                exchange.getFromRouteId(), grant == null ? "-" : grant.provider(), grant == null ? "-" : grant.userId(),
                grant == null ? "-" : grant.id(), attempt, policy.getMaximumRedeliveries() + 1,
                nextDelay == null ? "none (giving up)" : nextDelay, what);
    }

}
