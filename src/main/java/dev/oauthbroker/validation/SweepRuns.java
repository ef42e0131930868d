package dev.oauthbroker.validation;

import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The steps of a validation sweep run. Every instance's scheduler fires; a run starts only with the
 * sweep's lease ({@link SweepLeases}), so runs never overlap and a cluster runs each sweep once; it
 * always records how it ended — a summary, or its failure. The sweep validates every active grant,
 * which refreshes tokens that are due — keeping idle refresh tokens alive well inside the
 * providers' idle limits (Atlassian and Microsoft: 90 days unused; Google: 6 months).
 */
@Component("sweepRuns")
public class SweepRuns {

    public static final String LEASE = "sweepLease";
    public static final String SKIPPED = "sweepSkipped";
    private static final Logger log = LoggerFactory.getLogger(SweepRuns.class);
    private static final String ACTIVE_GRANTS = "select id from grants where deleted_at is null and status = 'active' order by id";

    private final JdbcTemplate jdbc;
    private final JdbcGrantStore grants;
    private final SweepLeases leases;
    private final Clock clock;
    private final BrokerMetrics metrics;

    public SweepRuns(JdbcTemplate jdbc, JdbcGrantStore grants, SweepLeases leases, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.grants = grants;
        this.leases = leases;
        this.clock = clock;
    }

    /**
     * Claims this run's lease into property {@value #LEASE}; false when another run is in progress or
     * this firing already ran. A scheduled run's slot is its minute; a manual run gets its own.
     */
    public boolean claim(Exchange exchange) {
        Instant now = clock.instant();
        boolean manual = Boolean.TRUE.equals(exchange.getProperty("manual", Boolean.class));
        Optional<SweepLeases.Lease> lease = leases.claim(manual ? now : now.truncatedTo(ChronoUnit.MINUTES));
        if (lease.isEmpty()) {
            OAuthLog.event(log, "sweep.not_started").with("inProgress", leases.inProgress()).info("validation sweep not started: another run is in progress or this one already ran");
            return false;
        }
        exchange.setProperty(LEASE, lease.get());
        return true;
    }

    /** The answer of a run that did not start. */
    public Map<String, Object> notStarted() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("started", false);
        answer.put("inProgress", leases.inProgress());
        return answer;
    }

    public int activeGrantCount() {
        return jdbc.queryForObject("select count(*) from grants where deleted_at is null and status = 'active'", Integer.class);
    }

    /**
     * Every active grant, as of now, to validate. Grants whose tokens cannot be decrypted are left
     * out and counted in property {@value #SKIPPED} (reading them marked them {@code reauth_required}):
     * one broken row never stops the sweep for everyone else.
     */
    public List<Grant> activeGrants(Exchange exchange) {
        Map<Boolean, List<Grant>> byReadable = jdbc.queryForList(ACTIVE_GRANTS, UUID.class).stream()
                .map(grants::find).flatMap(Optional::stream)
                .collect(Collectors.partitioningBy(grant -> !grant.undecryptable()));
        byReadable.get(false).forEach(grant -> OAuthLog.event(log, "sweep.skipped_undecryptable").grant(grant).warn("validation sweep skips a grant that cannot be decrypted"));
        exchange.setProperty(SKIPPED, byReadable.get(false).size());
        return byReadable.get(true);
    }

    /** Body: the per-grant results. Logs the summary and answers it. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> summarize(Exchange exchange) {
        List<List<Map<String, Object>>> perGrant = exchange.getMessage().getBody(List.class);
        int checked = 0, valid = 0, refreshed = 0, reauth = 0, errors = 0;
        for (List<Map<String, Object>> results : perGrant == null ? List.<List<Map<String, Object>>>of() : perGrant) {
            if (results.isEmpty()) {
                continue;
            }
            Map<String, Object> first = results.get(0);
            checked++;
            if (Boolean.TRUE.equals(first.get("valid"))) {
                valid++;
            }
            if (Boolean.TRUE.equals(first.get("refreshed"))) {
                refreshed++;
            }
            if ("reauth_required".equals(first.get("status"))) {
                reauth++;
            } else if ("error".equals(first.get("status"))) {
                errors++;
            }
        }
        Instant started = exchange.getProperty(LEASE, SweepLeases.Lease.class).started();
        Duration duration = Duration.between(started, clock.instant());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checked", checked);
        summary.put("valid", valid);
        summary.put("refreshed", refreshed);
        summary.put("reauthRequired", reauth);
        summary.put("errors", errors);
        summary.put("skippedUndecryptable", exchange.getProperty(SKIPPED, 0, Integer.class));
        summary.put("durationMs", duration.toMillis());
        OAuthLog.event(log, "sweep.done").durationMs(duration.toMillis()).with("checked", checked).with("valid", valid).with("refreshed", refreshed).with("reauthRequired", reauth).with("errors", errors).with("skippedUndecryptable", summary.get("skippedUndecryptable")).info("validation sweep done");
        metrics.sweep(summary);
        return summary;
    }

    /**
     * The end of a claimed run, whatever happened: releases the lease and stores the summary in the
     * body — or, when the run failed (exception in {@code Exchange.EXCEPTION_CAUGHT}), the failure.
     */
    public void finish(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            OAuthLog.event(log, "sweep.failed").took(exchange).with("error", failure.getClass().getName()).error("validation sweep failed");
        }
        leases.end(exchange.getProperty(LEASE, SweepLeases.Lease.class),
                failure == null ? String.valueOf(exchange.getMessage().getBody()) : "failed: " + failure.getClass().getName());
    }
}
