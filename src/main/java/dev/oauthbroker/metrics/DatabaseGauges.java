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
 * Gauges counted in PostgreSQL, so every instance reports the same figures: {@code broker.grants{status}}
 * (grants by status) and the connection events outbox, {@code broker.events.pending} (not yet
 * delivered) and {@code broker.events.failing} (not delivered, a sink already failed them). Read at
 * most once per {@code broker.metrics.grant-counts-ttl}, however often Prometheus scrapes; with the
 * database unreachable the last counts stay (NaN before the first).
 */
@Component
public class DatabaseGauges implements MeterBinder {

    private static final String COUNT_BY_STATUS = "select status, count(*) from grants group by status";
    private static final String COUNT_OUTBOX = "select count(*), count(*) filter (where attempts > 0) from grant_events where delivered_at is null";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration ttl;
    private Map<GrantStatus, Long> counts;
    private long[] outbox;
    private Instant readAt = Instant.MIN;

    public DatabaseGauges(JdbcTemplate jdbc, Clock clock, BrokerProperties properties) {
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
        Gauge.builder("broker.events.pending", this, gauges -> gauges.outbox(0))
                .description("connection events not delivered yet (all instances)").register(registry);
        Gauge.builder("broker.events.failing", this, gauges -> gauges.outbox(1))
                .description("connection events not delivered that a sink already failed (all instances)").register(registry);
    }

    synchronized double count(GrantStatus status) {
        read();
        return counts == null ? Double.NaN : counts.getOrDefault(status, 0L);
    }

    synchronized double outbox(int column) {
        read();
        return outbox == null ? Double.NaN : outbox[column];
    }

    private void read() {
        Instant now = clock.instant();
        if (counts == null || !now.isBefore(readAt.plus(ttl))) {
            try {
                Map<GrantStatus, Long> read = new EnumMap<>(GrantStatus.class);
                jdbc.query(COUNT_BY_STATUS, row -> {
                    read.put(GrantStatus.valueOf(row.getString(1)), row.getLong(2));
                });
                counts = read;
                outbox = jdbc.queryForObject(COUNT_OUTBOX, (row, n) -> new long[] {row.getLong(1), row.getLong(2)});
            } catch (DataAccessException unreachable) {
                // keep the last counts; the next scrape tries again
            }
            readAt = now;
        }
    }
}
