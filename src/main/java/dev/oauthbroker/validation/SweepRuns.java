package dev.oauthbroker.validation;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.metrics.BrokerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a validation sweep run that are computation, not SQL: which slot a firing opens, a
 * claimed grant and its outcome, and the end of a run. Opening a run, claiming batches and recording
 * outcomes are steps of {@code routes/validate-sweep.camel.yaml} on the run store ({@link JdbcSweepRuns}).
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
    private final JdbcSweepRuns runs;
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final Duration poll;
    private final BrokerMetrics metrics;

    public SweepRuns(JdbcSweepRuns runs, JdbcGrantStore grants, Clock clock, BrokerProperties broker, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.runs = runs;
        this.grants = grants;
        this.clock = clock;
        this.poll = broker.sweep().poll();
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

    /**
     * Step {@code validate-sweep-load}: the claimed batch's grants, read in one query, in the order
     * claimed; a grant gone since the run opened has none.
     */
    public List<ClaimedGrant> grants(@Body List<UUID> ids) {
        Map<UUID, Grant> found = grants.findAll(ids);
        return ids.stream().map(id -> new ClaimedGrant(id, found.get(id))).toList();
    }

    /** A claimed sweep item: the grant's id, and the grant (null when it is gone). */
    public record ClaimedGrant(UUID id, Grant grant) {
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
        boolean closedHere = runs.close(run);
        Map<String, Object> summary = runs.summary(run);
        if (summary == null) {
            return null;
        }
        if (closedHere) {
            runs.keep(run, summary);
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
}
