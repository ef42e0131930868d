package dev.oauthbroker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Component;

/**
 * The token cache's meters, registered once and kept, so a cache hit costs one counter increment and
 * no registry look-up: {@code broker.token.cache.hits}, {@code .misses},
 * {@code .evictions{cause}}, and the gauges {@code .listening} (1 while the notification connection
 * listens) and {@code .entries}. Listed in docs/operations.md, section "Metrics".
 */
@Component
public class TokenCacheMetrics {

    /** Why entries left the cache: a change of the grant, the size bound, the notification connection lost. */
    public enum Cause { notification, size, listener_lost }

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;
    private final Map<Cause, Counter> evictions = new EnumMap<>(Cause.class);

    public TokenCacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.hits = Counter.builder("broker.token.cache.hits").description("token requests answered from this instance's memory")
                .register(registry);
        this.misses = Counter.builder("broker.token.cache.misses")
                .description("token requests PostgreSQL answered (not cached, due, forced, or the cache not trusted)").register(registry);
        for (Cause cause : Cause.values()) {
            evictions.put(cause, Counter.builder("broker.token.cache.evictions").description("grants dropped from the token cache, by cause")
                    .tag("cause", cause.name()).register(registry));
        }
    }

    /** Gauges read from the cache itself. */
    public void watch(BooleanSupplier listening, LongSupplier entries) {
        Gauge.builder("broker.token.cache.listening", listening, l -> l.getAsBoolean() ? 1 : 0)
                .description("1 while this instance listens for grant changes (its cache is trusted), else 0").strongReference(true).register(registry);
        Gauge.builder("broker.token.cache.entries", entries, LongSupplier::getAsLong)
                .description("grants held in this instance's token cache").strongReference(true).register(registry);
    }

    public void hit() {
        hits.increment();
    }

    public void miss() {
        misses.increment();
    }

    public void evicted(Cause cause, long entries) {
        if (entries > 0) {
            evictions.get(cause).increment(entries);
        }
    }
}
