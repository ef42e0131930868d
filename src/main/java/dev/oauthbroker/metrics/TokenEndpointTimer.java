package dev.oauthbroker.metrics;

import dev.oauthbroker.authorization.AuthorizationResponses;
import dev.oauthbroker.authorization.PendingAuthorization;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.token.TokenRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Times every call to a provider's token endpoint (the routes' {@code http://token-endpoint} steps:
 * code exchange and refresh) as a histogram by provider, route and HTTP status, from Camel's
 * "exchange sent" events — no step of the routes has to change.
 */
@Component
public class TokenEndpointTimer extends EventNotifierSupport {

    static final String TOKEN_ENDPOINT = "http://token-endpoint";

    private final MeterRegistry registry;

    public TokenEndpointTimer(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent sent && sent.getEndpoint().getEndpointUri().startsWith(TOKEN_ENDPOINT);
    }

    @Override
    public void notify(CamelEvent event) {
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Timer.builder("broker.provider.token.requests").description("calls to providers' token endpoints")
                .tag("provider", providerOf(exchange))
                .tag("route", String.valueOf(exchange.getFromRouteId()))
                .tag("status", exchange.getException() != null || status == null ? "error" : String.valueOf(status))
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofMillis(sent.getTimeTaken()));
    }

    private static String providerOf(Exchange exchange) {
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        if (grant != null) {
            return grant.provider();
        }
        PendingAuthorization pending = exchange.getProperty(AuthorizationResponses.PENDING, PendingAuthorization.class);
        return pending == null ? "unknown" : pending.provider();
    }
}
