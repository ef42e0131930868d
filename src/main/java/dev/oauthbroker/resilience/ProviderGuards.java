package dev.oauthbroker.resilience;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.ProviderUnavailableException;
import dev.oauthbroker.token.ProviderRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per provider (resilience4j), created on first use, around every provider
 * call ({@code provider-call} in routes/provider-call.camel.yaml; each retry is a call).
 *
 * <ul>
 *   <li>Breaker: opens after {@code broker.breaker.failure-threshold} consecutive transient
 *       failures (a count window of that size, all failed), refuses every call for
 *       {@code broker.breaker.open-duration}, then lets one probe through; its success closes it,
 *       its failure opens it again. {@code invalid_grant} and other answers are successes: the
 *       provider is up.
 * </ul>
 * (The bulkhead per provider is where refreshes run: {@code refresh.RefreshWorkers}.)
 * A refusal is a {@link ProviderUnavailableException}, never retried. Each state change is logged
 * once and recorded in {@code provider_health} for the CLI.
 */
@Component("providerGuards")
public class ProviderGuards {

    private static final Logger log = LoggerFactory.getLogger(ProviderGuards.class);

    private final JdbcProviderHealth health;
    private final Clock clock;
    private final int failureThreshold;
    private final Duration openDuration;
    private final CircuitBreakerRegistry breakers;
    private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();

    public ProviderGuards(JdbcProviderHealth health, Clock clock, BrokerProperties broker) {
        this.health = health;
        this.clock = clock;
        this.failureThreshold = broker.breaker().failureThreshold();
        this.openDuration = broker.breaker().openDuration();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failureThreshold)
                .minimumNumberOfCalls(failureThreshold)
                .failureRateThreshold(100)
                .waitDurationInOpenState(openDuration)
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(clock)
                .build());
        this.breakers.getEventPublisher().onEntryAdded(added ->
                added.getAddedEntry().getEventPublisher().onStateTransition(this::changed));
    }

    /**
     * Route step {@code provider-call-guard}: leave to call the request's provider, or a
     * {@link ProviderUnavailableException} ({@code circuit_open}, with the rest of the open period)
     * when the call must not be made.
     */
    public ProviderPermit acquire(@ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request) {
        String provider = request.provider();
        CircuitBreaker breaker = breakers.circuitBreaker(provider);
        if (!breaker.tryAcquirePermission()) {
            throw new ProviderUnavailableException("circuit_open", restOfOpenPeriod(provider));
        }
        return new ProviderPermit(breaker);
    }

    /** Route step after the provider issued tokens. */
    public void succeeded(@ExchangeProperty(ExchangeProperties.PROVIDER_PERMIT) ProviderPermit permit) {
        permit.release(null);
    }

    /** Route step for any failure of the call: records it, then lets it carry on to the retry policy. */
    public void failed(@ExchangeProperty(ExchangeProperties.PROVIDER_PERMIT) ProviderPermit permit,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        permit.release(failure);
        throw failure;
    }

    /** Providers whose breaker is not closed (open, or half-open with its probe under way). */
    public Set<String> degradedProviders() {
        return breakers.getAllCircuitBreakers().stream()
                .filter(b -> b.getState() != CircuitBreaker.State.CLOSED)
                .map(CircuitBreaker::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the provider's breaker is not closed. */
    public boolean isDegraded(String provider) {
        return breakers.find(provider).map(b -> b.getState() != CircuitBreaker.State.CLOSED).orElse(false);
    }

    /** The breakers, one per provider (BreakerMetrics publishes their states). */
    public CircuitBreakerRegistry breakers() { return breakers; }

    /** Forgets every breaker: each provider starts again closed. */
    public void reset() {
        breakers.getAllCircuitBreakers().forEach(b -> breakers.remove(b.getName()));
        openedAt.clear();
    }

    private Duration restOfOpenPeriod(String provider) {
        Instant since = openedAt.getOrDefault(provider, clock.instant());
        Duration rest = openDuration.minus(Duration.between(since, clock.instant()));
        return rest.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : rest;
    }

    private void changed(CircuitBreakerOnStateTransitionEvent event) {
        String provider = event.getCircuitBreakerName();
        CircuitBreaker.StateTransition transition = event.getStateTransition();
        String why = switch (transition) {
            case CLOSED_TO_OPEN -> failureThreshold + " consecutive failures";
            case OPEN_TO_HALF_OPEN -> "open for " + openDuration.toMillis() + " ms; one probe goes through";
            case HALF_OPEN_TO_OPEN -> "the probe failed";
            case HALF_OPEN_TO_CLOSED -> "the probe succeeded";
            default -> "changed";
        };
        Instant now = clock.instant();
        if (transition.getToState() == CircuitBreaker.State.OPEN) {
            openedAt.put(provider, now);
        }
        log.warn("circuit breaker for provider {}: {} -> {} ({})", provider, transition.getFromState(), transition.getToState(), why);
        health.record(new JdbcProviderHealth.Change(provider, transition.getToState().name(), why, now));
    }
}
