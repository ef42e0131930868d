package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The scheduled validation sweep over N valid grants, the provider's identity endpoint answering
 * in 50 ms, on 1 and 3 instances. Each set of instances runs with {@code BROKER_SWEEP_CRON}
 * firing every {@code period} seconds (at least a minute: a firing opens its minute's run once,
 * so two runs are a minute apart anyway), the first firing due just after the instances are
 * expected to be ready; a measured run is the one fired at a boundary T chosen when no run is in
 * progress, and it ends when every grant's {@code last_validated_at} is at or after T — read from
 * the database, so it measures a sweep however it is shared out.
 * Ideal: N × latency / (parallelism × instances). The brokers' CPU time (utime + stime of
 * {@code /proc/<pid>/stat}, all instances together) from just before the boundary to the end of
 * the run, divided by the grants validated meanwhile (N, or more when the window spans two runs),
 * is the broker's CPU cost of one validated grant.
 */
final class SweepScale {

    private static final int[] PERIODS = {60, 120, 300, 600};


    private final Bench bench;

    SweepScale(Bench bench) {
        this.bench = bench;
    }

    MarkdownTable run() throws Exception {
        BenchOptions options = bench.options();
        MarkdownTable table = new MarkdownTable(String.format("Sweep scale: provider latency %d ms, parallelism %d per instance",
                options.sweepLatencyMs(), options.sweepParallelism()),
                "grants", "instances", "run time s", "ideal s", "run time / ideal", "broker CPU ms per grant");
        for (int size : options.sweepSizes()) {
            String template = bench.database().create("sweep_" + size, null);
            try (HikariDataSource data = bench.database().dataSource(template)) {
                BenchDatabase.seed(BenchDatabase.grantStore(data), size, i -> "sweep" + i, 24 * 3600);
            }
            for (int instances : options.instances()) {
                double ideal = size * options.sweepLatencyMs() / 1000.0 / (options.sweepParallelism() * instances);
                List<Measured> runs = measure(size, instances, template);
                table.row(Integer.toString(size), Integer.toString(instances), MarkdownTable.figure(runs.stream().map(Measured::seconds).toList(), "%.1f"),
                        String.format(java.util.Locale.ROOT, "%.1f", ideal),
                        MarkdownTable.figure(runs.stream().map(r -> r.seconds() / ideal).toList(), "%.1f×"),
                        MarkdownTable.figure(runs.stream().map(r -> r.cpuMillis() / r.validated()).toList(), "%.2f"));
            }
        }
        return table;
    }

    /** One sweep run: from its cron boundary to the last grant validated, and the CPU time the brokers spent meanwhile. */
    private record Measured(double seconds, double cpuMillis, int validated) {}

    /**
     * Grants validated since {@code start} by any run (a run that fired a moment before the boundary
     * leaves some grants to the next one, and the CPU window then spans both); N without the table.
     */
    private static int validatedSince(JdbcTemplate jdbc, Timestamp start, int size) {
        try {
            return Math.max(size, jdbc.queryForObject("select count(*) from sweep_items where done_at >= ?", Integer.class, start));
        } catch (DataAccessException noSuchTable) {
            return size;
        }
    }

    private List<Measured> measure(int size, int instances, String template) throws Exception {
        BenchOptions options = bench.options();
        String name = bench.database().create("sweep_" + size + "_" + instances, template);
        int single = (int) Math.ceil(size * options.sweepLatencyMs() / 1000.0 / options.sweepParallelism());
        int period = period(3 * single + 5);
        // the first boundary: once the instances are (expected to be) ready, before a firing has taken its minute
        long offset = Instant.now().plus(bench.lastLaunch().multipliedBy(instances + 2).dividedBy(2)).plusSeconds(3).getEpochSecond() % period;
        String cron = offset % 60 + " " + (period == 60 ? "*" : offset / 60 + "/" + period / 60) + " * * * *";
        List<Measured> runs = new ArrayList<>();
        try (BrokerInstances brokers = bench.launch("sweep-" + size + "-" + instances, name, instances, Map.of(
                "BROKER_SWEEP_ENABLED", "true", "BROKER_SWEEP_CRON", cron,
                "BROKER_SWEEP_PARALLELISM", Integer.toString(options.sweepParallelism())));
             HikariDataSource data = bench.database().dataSource(name)) {
            JdbcTemplate jdbc = new JdbcTemplate(data);
            for (int rep = 0; rep < options.sweepReps(); rep++) {
                Instant fired = nextQuietBoundary(jdbc, period, offset);
                double cpuBefore = brokers.cpuMillis();
                Timestamp windowStart = Timestamp.from(Instant.now());
                Instant deadline = fired.plus(Duration.ofSeconds(20L * single + 4L * period + 60));
                while (true) {
                    Map<String, Object> row = jdbc.queryForMap(
                            "select count(*) as done, max(last_validated_at) as last from grants where last_validated_at >= ?",
                            Timestamp.from(fired));
                    if (((Number) row.get("done")).intValue() >= size) {
                        double cpu = brokers.cpuMillis() - cpuBefore;
                        runs.add(new Measured(Duration.between(fired, ((Timestamp) row.get("last")).toInstant()).toMillis() / 1000.0,
                                cpu, validatedSince(jdbc, windowStart, size)));
                        break;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("sweep of " + size + " grants on " + instances + " instances did not finish; see "
                                + bench.logs());
                    }
                    Thread.sleep(100);
                }
            }
        }
        return runs;
    }

    /**
     * The next cron boundary ({@code offset} plus a multiple of {@code period} seconds) just before which no sweep run is
     * in progress, and whose minute has had no run: a scheduled firing opens its minute's run only
     * once (its slot), so a boundary in a minute whose run is over opens nothing, and the run that
     * follows is the next minute's — timed from that boundary it would read up to a minute long.
     */
    private static Instant nextQuietBoundary(JdbcTemplate jdbc, int period, long offset) throws InterruptedException {
        while (true) {
            while (runInProgress(jdbc)) {
                Thread.sleep(100);
            }
            Instant fired = Instant.ofEpochSecond((Instant.now().getEpochSecond() + 1 - offset) / period * period + period + offset);
            while (slotTaken(jdbc, fired)) {
                fired = fired.plusSeconds(period);
            }
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), fired).toMillis() - 300));
            if (!runInProgress(jdbc)) {
                return fired;
            }
        }
    }

    /** Whether the minute of {@code boundary} has had its scheduled run already (a table without runs: no). */
    private static boolean slotTaken(JdbcTemplate jdbc, Instant boundary) {
        try {
            return jdbc.queryForObject("select count(*) from sweep_runs where slot = ?", Integer.class,
                    Timestamp.from(boundary.truncatedTo(ChronoUnit.MINUTES))) > 0;
        } catch (DataAccessException noSuchTable) {
            return false;
        }
    }

    /** Whether today's sweep_runs table shows a run in progress (a shared sweep may keep its runs elsewhere: then no). */
    private static boolean runInProgress(JdbcTemplate jdbc) {
        try {
            return jdbc.queryForObject("select count(*) from sweep_runs where finished_at is null", Integer.class) > 0;
        } catch (DataAccessException noSuchTable) {
            return false;
        }
    }

    private static int period(int atLeast) {
        for (int period : PERIODS) {
            if (period >= atLeast) {
                return period;
            }
        }
        return PERIODS[PERIODS.length - 1];
    }
}
