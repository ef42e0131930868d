package dev.oauthbroker.metrics;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.grant.GrantStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code broker.grants{status}}: grants by status, counted in PostgreSQL (so every instance reports
 * the same figures) at most once per {@code broker.metrics.grant-counts-ttl}, however often
 * Prometheus scrapes. With the database unreachable the last counts stay (NaN before the first).
 */
@Component
public class GrantStatusGauges implements MeterBinder {

    private static final String COUNT_BY_STATUS = "select status, count(*) from grants group by status";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private Map<GrantStatus, Long> counts;
    private Instant readAt = Instant.MIN;

    public GrantStatusGauges(JdbcTemplate jdbc, Clock clock, BrokerProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ttl = properties.metrics().grantCountsTtl();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (GrantStatus status : GrantStatus.values()) {
            Gauge.builder("broker.grants", this, gauges -> gauges.count(status)).description("grants by status (all instances)")
                    .tag("status", status.name()).register(registry);
        }
    }

    synchronized double count(GrantStatus status) {
        Instant now = clock.instant();
        if (counts == null || !now.isBefore(readAt.plus(ttl))) {
            try {
                Map<GrantStatus, Long> read = new EnumMap<>(GrantStatus.class);
                jdbc.query(COUNT_BY_STATUS, row -> {
                    read.put(GrantStatus.valueOf(row.getString(1)), row.getLong(2));
                });
                counts = read;
            } catch (DataAccessException unreachable) {
                // keep the last counts; the next scrape tries again
            }
            readAt = now;
        }
        return counts == null ? Double.NaN : counts.getOrDefault(status, 0L);
    }
}
