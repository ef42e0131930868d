package dev.oauthbroker.ops;

import dev.oauthbroker.cache.GrantCache;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code tokenCache}: whether this instance listens for grant changes — a
 * detail, never a readiness failure, since without notifications the instance still answers every
 * request exactly (from PostgreSQL). {@code UP} while listening; otherwise a status of its own that
 * Spring's aggregation does not order and so ignores: {@code BYPASSED} (not listening, every token
 * request asks PostgreSQL), {@code SERVING_FROM_MEMORY} (the database is unreachable; cached valid
 * tokens are still served), {@code OFF} ({@code BROKER_TOKEN_CACHE_SIZE=0}).
 */
@Component("tokenCache")
class TokenCacheHealthIndicator implements HealthIndicator {

    static final Status BYPASSED = new Status("BYPASSED");
    static final Status SERVING_FROM_MEMORY = new Status("SERVING_FROM_MEMORY");
    static final Status OFF = new Status("OFF");

    private final GrantCache cache;

    TokenCacheHealthIndicator(GrantCache cache) {
        this.cache = cache;
    }

    @Override
    public Health health() {
        if (!cache.enabled()) {
            return Health.status(OFF).build();
        }
        return Health.status(switch (cache.mode()) {
            case LISTENING -> Status.UP;
            case OUTAGE -> SERVING_FROM_MEMORY;
            case BYPASS -> BYPASSED;
        }).build();
    }
}
