package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.token.ProviderAttempt;
import dev.oauthbroker.token.ProviderRequest;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs on every failed provider attempt, before Camel schedules the next one: logs provider,
 * user, grant, attempt, next delay and error (never a token), and makes Camel wait what
 * {@link RefreshRetries} says (a provider's {@code Retry-After} included) through the
 * {@code CamelRedeliveryDelay} header. A Camel {@link Processor}: {@code onExceptionOccurredRef} demands one, so
 * {@link #process} only reads the attempt's exchange properties and sets the header; {@link #failed} decides.
 */
@Component("refreshAttemptLog")
public class RefreshAttemptLog implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttemptLog.class);

    private final RefreshRetries retries;
    private final Clock clock;

    public RefreshAttemptLog(RefreshRetries retries, Clock clock) {
        this.retries = retries;
        this.clock = clock;
    }

    /** Camel's callback: the failed attempt's values, then the wait Camel is to make. */
    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Long nextDelay = failed(caught != null ? caught : exchange.getException(),
                exchange.getProperty(ExchangeProperties.GRANT, Grant.class),
                exchange.getProperty(ExchangeProperties.PROVIDER_REQUEST, ProviderRequest.class),
                exchange.getProperty(ExchangeProperties.PROVIDER_ATTEMPT, ProviderAttempt.class),
                exchange.getProperty(ExchangeProperties.DEADLINE, Instant.class),
                exchange.getProperty(ExchangeProperties.STARTED_AT, Instant.class), exchange.getFromRouteId());
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        if (nextDelay != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, nextDelay);
        }
    }

    /**
     * Logs the failed attempt of {@code request} (on {@code grant}, in route {@code route}) and
     * answers the wait before the next one, or null when there is none.
     */
    public Long failed(Throwable error, Grant grant, ProviderRequest request, ProviderAttempt providerAttempt, Instant deadline,
                       Instant startedAt, String route) {
        Long nextDelay = retries.nextDelayMs(error, request, providerAttempt, deadline);
        String what = error instanceof ProviderException pe ? pe.reason() : error == null ? "unknown" : error.getClass().getSimpleName();
        int attempt = RefreshRetries.number(providerAttempt);
        int maxAttempts = retries.maxAttempts(request);
        OAuthLog.event(log, nextDelay == null ? "refresh.attempt_failed.giving_up" : "refresh.attempt_failed.retrying")
                .provider(request == null ? null : request.provider()).grant(grant).took(startedAt, clock)
                .with("route", route).with("call", request == null ? null : request.purpose())
                .with("attempt", attempt).with("maxAttempts", maxAttempts).with("nextDelayMs", nextDelay).with("error", what)
                .warn("provider call failed, attempt=" + attempt + " of " + maxAttempts + (nextDelay == null ? ", giving up" : ""));
        return nextDelay;
    }
}
