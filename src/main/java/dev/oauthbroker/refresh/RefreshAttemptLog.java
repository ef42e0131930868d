package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.token.ProviderRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs on every failed provider attempt, before Camel schedules the next one: logs provider,
 * user, grant, attempt, next delay and error (never a token), and makes Camel wait what
 * {@link RefreshRetries} says (a provider's {@code Retry-After} included) through the
 * {@code CamelRedeliveryDelay} header. A Camel {@link Processor}: {@code onExceptionOccurredRef} demands one.
 */
@Component("refreshAttemptLog")
public class RefreshAttemptLog implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttemptLog.class);

    private final RefreshRetries retries;

    public RefreshAttemptLog(RefreshRetries retries) {
        this.retries = retries;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable error = RefreshRetries.failure(exchange);
        Long nextDelay = retries.nextDelayMs(exchange);
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        if (nextDelay != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, nextDelay);
        }
        Grant grant = exchange.getProperty(ExchangeProperties.GRANT, Grant.class);
        ProviderRequest request = exchange.getProperty(ExchangeProperties.PROVIDER_REQUEST, ProviderRequest.class);
        String what = error instanceof ProviderException pe ? pe.reason() : error == null ? "unknown" : error.getClass().getSimpleName();
        int attempt = retries.attempt(exchange);
        int maxAttempts = retries.maxAttempts(exchange);
        OAuthLog.event(log, nextDelay == null ? "refresh.attempt_failed.giving_up" : "refresh.attempt_failed.retrying")
                .provider(request == null ? null : request.provider()).grant(grant).took(exchange)
                .with("route", exchange.getFromRouteId()).with("call", request == null ? null : request.purpose())
                .with("attempt", attempt).with("maxAttempts", maxAttempts).with("nextDelayMs", nextDelay).with("error", what)
                .warn("provider call failed, attempt=" + attempt + " of " + maxAttempts + (nextDelay == null ? ", giving up" : ""));
    }
}
