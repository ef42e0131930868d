package dev.oauthbroker.validation;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The validation sweep's lease in {@code sweep_runs}, so runs never overlap — on one instance or
 * across a cluster — and a crashed run never blocks the sweep for ever.
 *
 * <ul>
 *   <li>A unique index admits one unfinished run: a claim wins only when no run is in progress.
 *   <li>A run holds its lease ({@code lease_until}) for {@code broker.sweep.lease}; a heartbeat renews
 *       it every third of that while the run lasts.
 *   <li>A run whose instance died stops renewing: once its lease has passed, the next claim closes it
 *       as abandoned and takes over.
 *   <li>Each firing's slot (its minute) is claimed once, so instances whose schedulers fire together
 *       run that sweep once, even when the first run is already over when the second claims.
 * </ul>
 */
@Component
public class SweepLeases implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SweepLeases.class);
    private static final String ABANDON = """
            update sweep_runs set finished_at = ?,
                   summary = 'abandoned: its lease expired at ' || lease_until || ' without a heartbeat from ' || instance
            where finished_at is null and lease_until < ? returning instance""";
    private static final String CLAIM = """
            insert into sweep_runs (slot, instance, started_at, lease_until) values (?, ?, ?, ?) on conflict do nothing""";
    private static final String RENEW = "update sweep_runs set lease_until = ? where slot = ? and instance = ? and finished_at is null";
    private static final String END = "update sweep_runs set finished_at = ?, summary = ? where slot = ? and instance = ?";
    private static final String IN_PROGRESS = "select instance || ' since ' || started_at from sweep_runs where finished_at is null";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration lease;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sweep-lease-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    public SweepLeases(JdbcTemplate jdbc, Clock clock, @Value("${broker.sweep.lease}") Duration lease) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lease = lease;
    }

    /** Claims the run of {@code slot}: empty when another run is in progress or this slot already ran. */
    public Optional<Lease> claim(Instant slot) {
        Instant now = clock.instant();
        for (String abandoned : jdbc.queryForList(ABANDON, String.class, ts(now), ts(now))) {
            log.warn("validation sweep of {} abandoned: its lease expired without a heartbeat; taking over", abandoned);
        }
        if (jdbc.update(CLAIM, ts(slot), instance, ts(now), ts(now.plus(lease))) == 0) {
            return Optional.empty();
        }
        long every = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> renew(slot), every, every, TimeUnit.MILLISECONDS);
        return Optional.of(new Lease(slot, now, heartbeat));
    }

    /** Ends a run: stops its heartbeat and records when and how it ended. */
    public void end(Lease run, String summary) {
        run.heartbeat().cancel(false);
        jdbc.update(END, ts(clock.instant()), summary, ts(run.slot()), instance);
    }

    /** The runs in progress, as {@code instance since started} (for the message of a refused claim). */
    public List<String> inProgress() {
        return jdbc.queryForList(IN_PROGRESS, String.class);
    }

    private void renew(Instant slot) {
        try {
            if (jdbc.update(RENEW, ts(clock.instant().plus(lease)), ts(slot), instance) == 0) {
                log.warn("validation sweep of slot {} lost its lease (it expired before this heartbeat); the run goes on", slot);
            }
        } catch (RuntimeException e) {
            // a failed heartbeat must not end the schedule: the next one tries again
            log.warn("validation sweep heartbeat failed ({}); retrying in {} ms", e.getClass().getSimpleName(), lease.toMillis() / 3);
        }
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /** A claimed run: its slot, when it started, and the heartbeat renewing its lease. */
    public record Lease(Instant slot, Instant started, ScheduledFuture<?> heartbeat) {}
}
