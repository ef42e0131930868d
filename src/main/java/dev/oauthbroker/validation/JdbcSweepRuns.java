package dev.oauthbroker.validation;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.BrokerProperties;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The validation sweep's runs in PostgreSQL, shared by every instance: a run ({@code sweep_runs},
 * at most one unfinished) lists every active grant in {@code sweep_items} when it opens; instances
 * claim batches of its items ({@code FOR UPDATE SKIP LOCKED}, for {@code broker.sweep.claim}, so a
 * dead instance's batch is claimed again), mark each item done with its outcome, and the run is
 * closed once every item is done. Each method is one statement in autocommit, atomic by itself.
 */
@Component("sweepRunStore")
public class JdbcSweepRuns {

    /** A run per slot ({@code sweep_runs.slot} is unique), none while another is unfinished; its items: every active grant. */
    private static final String OPEN = """
            with run as (
            insert into sweep_runs (slot, instance, started_at) values (?, ?, now())
            on conflict do nothing returning id)
            insert into sweep_items (run_id, grant_id)
            select run.id, grants.id from run, grants
            where grants.deleted_at is null and grants.status = 'active'""";
    private static final String OPEN_RUN = "select id from sweep_runs where finished_at is null";
    private static final String CLAIM = """
            update sweep_items
            set claimed_by = ?, claim_until = now() + ? * interval '1 millisecond'
            where run_id = ? and grant_id in (
            select grant_id from sweep_items
            where run_id = ? and done_at is null and (claim_until is null or claim_until < now())
            limit ? for update skip locked)
            returning grant_id""";
    private static final String DONE = """
            update sweep_items set done_at = now(), outcome = ?, refreshed = ?
            where run_id = ? and grant_id = ? and done_at is null""";
    private static final String CLOSE = """
            update sweep_runs set finished_at = now()
            where id = ? and finished_at is null
              and not exists (select 1 from sweep_items where run_id = ? and done_at is null)""";
    private static final String RUN = "select started_at, finished_at from sweep_runs where id = ?";
    private static final String COUNTS = """
            select count(*) filter (where outcome in ('valid', 'reauth_required', 'error')) as checked,
                   count(*) filter (where outcome = 'valid') as valid,
                   count(*) filter (where refreshed) as refreshed,
                   count(*) filter (where outcome = 'reauth_required') as reauth_required,
                   count(*) filter (where outcome = 'error') as errors,
                   count(*) filter (where outcome = 'skipped') as skipped,
                   count(distinct claimed_by) as instances
            from sweep_items where run_id = ?""";
    private static final String STORE_SUMMARY = "update sweep_runs set summary = ? where id = ?";
    /** The items of the run just closed stay for inspection; older ones go. */
    private static final String PRUNE = "delete from sweep_items where run_id < ?";
    private static final String ACTIVE_GRANTS = "select count(*) from grants where deleted_at is null and status = 'active'";

    private final JdbcTemplate jdbc;
    private final Duration claim;
    private final int batch;
    private final String instance;

    @Autowired
    public JdbcSweepRuns(JdbcTemplate jdbc, BrokerProperties broker) {
        this(jdbc, broker.sweep().claim(), broker.sweep().batch(),
                ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * {@code claim}: how long a claimed batch stays this instance's ({@code broker.sweep.claim});
     * {@code batch}: items per claim ({@code broker.sweep.batch}); {@code instance}: who claims.
     */
    public JdbcSweepRuns(JdbcTemplate jdbc, Duration claim, int batch, String instance) {
        this.jdbc = jdbc;
        this.claim = claim;
        this.batch = batch;
        this.instance = instance;
    }

    /** This instance, as written in {@code sweep_runs.instance} and {@code sweep_items.claimed_by}. */
    public String instance() {
        return instance;
    }

    /**
     * Step {@code validate-sweep-open}: opens the run of {@code slot}, listing every active grant,
     * unless a run is open already or this slot's run is over. The number of grants listed (0 when
     * no run was opened).
     */
    public int open(@Header("slot") OffsetDateTime slot) {
        return jdbc.update(OPEN, slot, instance);
    }

    /** Step {@code validate-sweep-find-open}: the unfinished run, or null. */
    public Long openRun() {
        return jdbc.queryForList(OPEN_RUN, Long.class).stream().findFirst().orElse(null);
    }

    /**
     * Step {@code validate-sweep-claim}: up to {@code broker.sweep.batch} grants of the run that
     * no instance is done with or holds (or whose claim expired), now this instance's for
     * {@code broker.sweep.claim}; empty when none is left to claim. No two claims get the same grant.
     */
    public List<UUID> claim(@ExchangeProperty(ExchangeProperties.SWEEP_RUN) long run) {
        return jdbc.queryForList(CLAIM, UUID.class, instance, claim.toMillis(), run, run, batch);
    }

    /** Step {@code validate-sweep-done}: a grant of the run is done, with its outcome (once: a second report changes nothing). */
    public void done(@ExchangeProperty(ExchangeProperties.SWEEP_RUN) long run, @ExchangeProperty(ExchangeProperties.SWEEP_GRANT) UUID grant, @Body SweepOutcome outcome) {
        jdbc.update(DONE, outcome.outcome(), outcome.refreshed(), run, grant);
    }

    /** Closes the run if every grant of it is done: true for the one call that closed it. */
    public boolean close(long run) {
        return jdbc.update(CLOSE, run, run) == 1;
    }

    /**
     * The summary of a run that is over, counted over every instance's outcomes: run, checked,
     * valid, refreshed, reauthRequired, errors, skippedUndecryptable, instances, durationMs; null
     * while it is still open.
     */
    public Map<String, Object> summary(long run) {
        Map<String, Object> times = jdbc.queryForMap(RUN, run);
        if (times.get("finished_at") == null) {
            return null;
        }
        Map<String, Object> counts = jdbc.queryForMap(COUNTS, run);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run", run);
        summary.put("checked", count(counts, "checked"));
        summary.put("valid", count(counts, "valid"));
        summary.put("refreshed", count(counts, "refreshed"));
        summary.put("reauthRequired", count(counts, "reauth_required"));
        summary.put("errors", count(counts, "errors"));
        summary.put("skippedUndecryptable", count(counts, "skipped"));
        summary.put("instances", count(counts, "instances"));
        summary.put("durationMs", Duration.between(((Timestamp) times.get("started_at")).toInstant(),
                ((Timestamp) times.get("finished_at")).toInstant()).toMillis());
        return summary;
    }

    /** Keeps the closed run's summary with it, and deletes the items of older runs (the closed run's stay for inspection). */
    public void keep(long run, Map<String, Object> summary) {
        jdbc.update(STORE_SUMMARY, summary.toString(), run);
        jdbc.update(PRUNE, run);
    }

    /** Grants a run opened now would list. */
    public int activeGrantCount() {
        return jdbc.queryForObject(ACTIVE_GRANTS, Integer.class);
    }

    private static int count(Map<String, Object> counts, String column) {
        return ((Number) counts.get(column)).intValue();
    }
}
