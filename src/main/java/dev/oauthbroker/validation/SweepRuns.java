package dev.oauthbroker.validation;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.metrics.BrokerMetrics;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The steps of a validation sweep run that are computation, not SQL: who this instance is, which
 * slot a firing opens, a claimed grant and its outcome, and the end of a run. Opening a run,
 * claiming batches and recording outcomes are the SQL steps of {@code routes/validate-sweep.camel.yaml}.
 *
 * <p>A run ends once every grant it listed is done, by whichever instance: the worker that finds
 * nothing left closes it (once — the update is guarded), stores its summary and logs it; every
 * worker answers the same summary, counted over all instances' results. The sweep validates every
 * active grant, which refreshes tokens that are due — keeping idle refresh tokens alive well inside
 * the providers' idle limits (Atlassian and Microsoft: 90 days unused; Google: 6 months).
 */
@Component("sweepRuns")
public class SweepRuns {

    private static final Logger log = LoggerFactory.getLogger(SweepRuns.class);
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
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final Duration claim;
    private final Duration poll;
    private final BrokerMetrics metrics;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public SweepRuns(JdbcTemplate jdbc, JdbcGrantStore grants, Clock clock, BrokerProperties broker, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.grants = grants;
        this.clock = clock;
        this.claim = broker.sweep().claim();
        this.poll = broker.sweep().poll();
    }

    /** This instance, as written in {@code sweep_runs.instance} and {@code sweep_items.claimed_by}. */
    public String instance() {
        return instance;
    }

    /** How long a claimed batch stays this instance's ({@code broker.sweep.claim}). */
    public long claimMillis() {
        return claim.toMillis();
    }

    /** How long a worker waits before it looks again while other instances finish their batches ({@code broker.sweep.poll}). */
    public long pollMillis() {
        return poll.toMillis();
    }

    /**
     * The slot a firing opens: a scheduled run's is its minute, so instances whose schedulers fire
     * together open one run, and none opens it again once it is over; a manual run gets its own.
     */
    public OffsetDateTime slot(@ExchangeProperty(ExchangeProperties.MANUAL_SWEEP) Boolean manual) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return Boolean.TRUE.equals(manual) ? now : now.truncatedTo(ChronoUnit.MINUTES);
    }

    /** A claimed grant as stored now; null when it is no longer stored. */
    public Grant grant(@ExchangeProperty(ExchangeProperties.SWEEP_GRANT) UUID id) {
        return grants.find(id).orElse(null);
    }

    /**
     * A grant whose tokens cannot be decrypted is skipped and counted (reading it marked it
     * {@code reauth_required}): one broken row never stops the sweep for everyone else.
     */
    public SweepOutcome skipped(Grant grant) {
        OAuthLog.event(log, "sweep.skipped_undecryptable").grant(grant).warn("validation sweep skips a grant that cannot be decrypted");
        return SweepOutcome.SKIPPED;
    }

    /** The body of {@code direct:validate-grant}: its per-tool results. */
    public SweepOutcome outcome(List<Map<String, Object>> results) {
        return SweepOutcome.of(results);
    }

    /** A grant whose validation failed counts as an error of the run; the run goes on. */
    public SweepOutcome failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure, @ExchangeProperty(ExchangeProperties.SWEEP_GRANT) UUID id) {
        OAuthLog.event(log, "sweep.grant_failed").with("grantId", id).with("error", failure.getClass().getName()).warn("validation sweep: validating a grant failed");
        return SweepOutcome.ERROR;
    }

    /**
     * Nothing was left to claim: closes the run if every grant of it is done (the first worker to
     * see it does; it stores and logs the summary) and answers the summary once the run is over;
     * null while other instances' claims are still out.
     */
    public Map<String, Object> finish(@ExchangeProperty(ExchangeProperties.SWEEP_RUN) long run) {
        boolean closedHere = jdbc.update(CLOSE, run, run) == 1;
        Map<String, Object> times = jdbc.queryForMap(RUN, run);
        if (times.get("finished_at") == null) {
            return null;
        }
        Map<String, Object> summary = summary(run, times);
        if (closedHere) {
            jdbc.update(STORE_SUMMARY, summary.toString(), run);
            jdbc.update(PRUNE, run);
            OAuthLog.event(log, "sweep.done").durationMs(((Number) summary.get("durationMs")).longValue())
                    .with("checked", summary.get("checked")).with("valid", summary.get("valid")).with("refreshed", summary.get("refreshed"))
                    .with("reauthRequired", summary.get("reauthRequired")).with("errors", summary.get("errors"))
                    .with("skippedUndecryptable", summary.get("skippedUndecryptable")).with("instances", summary.get("instances"))
                    .info("validation sweep done");
            metrics.sweep(summary);
        }
        return summary;
    }

    /** The answer of a firing that found no run to work: its slot's run is already over. */
    public Map<String, Object> notStarted() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("started", false);
        answer.put("reason", "this slot's run is already over");
        return answer;
    }

    public int activeGrantCount() {
        return jdbc.queryForObject(ACTIVE_GRANTS, Integer.class);
    }

    private Map<String, Object> summary(long run, Map<String, Object> times) {
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

    private static int count(Map<String, Object> counts, String column) {
        return ((Number) counts.get(column)).intValue();
    }
}
