package dev.oauthbroker.resilience;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Each provider's circuit breaker (one per provider, created on its first refresh) as
 * resilience4j's tagged meters: {@code resilience4j.circuitbreaker.state{name=<provider>,state}}
 * is 1 for the current state, plus its call counts and failure rate.
 */
@Component
public class BreakerMetrics implements MeterBinder {

    private final ProviderGuards guards;

    public BreakerMetrics(ProviderGuards guards) {
        this.guards = guards;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(guards.breakers()).bindTo(registry);
    }
}
