package dev.oauthbroker.token;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.metrics.BrokerMetrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Times every call to a provider's token endpoint (the routes' {@code http://token-endpoint} steps)
 * as a histogram by provider, {@code grant_type} ({@code authorization_code} for a consent,
 * {@code refresh_token} for a refresh: the exchange then carries the grant) and HTTP status, and
 * counts each refresh call as one refresh attempt — from Camel's "exchange sent" events, so no step
 * of the routes has to change. It takes the "sending" event of these calls too (and does nothing
 * with it): Camel times a send and reports it sent only when some notifier took its "sending" event.
 */
@Component
public class TokenEndpointTimer extends EventNotifierSupport implements CamelContextConfiguration {

    static final String PROVIDER_ENDPOINT = "http://provider";

    private final MeterRegistry registry;
    private final BrokerMetrics metrics;

    public TokenEndpointTimer(MeterRegistry registry, BrokerMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        // not ignored: Camel sends the "sent" event of a send only when a notifier took its "sending" event
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** Registers this notifier: Camel starts it with the context. */
    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // Camel registers EventNotifier beans it finds itself, depending on the order beans are made: once only
        if (!camelContext.getManagementStrategy().getEventNotifiers().contains(this)) {
            camelContext.getManagementStrategy().addEventNotifier(this);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent sending && sending.getEndpoint().getEndpointUri().startsWith(PROVIDER_ENDPOINT)
                || event instanceof ExchangeSentEvent sent && sent.getEndpoint().getEndpointUri().startsWith(PROVIDER_ENDPOINT);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof ExchangeSentEvent sent)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        ProviderRequest request = exchange.getProperty(ExchangeProperties.PROVIDER_REQUEST, ProviderRequest.class);
        if (request == null || (request.purpose() != ProviderRequest.Purpose.REFRESH && request.purpose() != ProviderRequest.Purpose.CODE_EXCHANGE)) {
            return;
        }
        String provider = request.provider();
        boolean refresh = request.purpose() == ProviderRequest.Purpose.REFRESH;
        if (refresh) {
            metrics.refreshAttempt(provider);
        }
        Timer.builder("broker.provider.token.requests").description("calls to providers' token endpoints")
                .tag("provider", provider)
                .tag("grant_type", refresh ? "refresh_token" : "authorization_code")
                .tag("status", exchange.getException() != null || status == null ? "error" : String.valueOf(status))
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofMillis(sent.getTimeTaken()));
    }
}
