package dev.oauthbroker.validation;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
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
 * Leadership and bookkeeping of the scheduled validation sweep. Every instance's scheduler fires;
 * each claims the run's slot (the firing minute) with an insert that only one can win, so a
 * cluster runs each sweep once. The sweep validates every active grant, which refreshes tokens
 * that are due — keeping idle refresh tokens alive well inside the providers' idle limits
 * (Atlassian and Microsoft: 90 days unused; Google: 6 months).
 */
@Component("sweepRuns")
public class SweepRuns {

    public static final String SLOT = "sweepSlot";
    public static final String STARTED = "sweepStarted";
    public static final String SKIPPED = "sweepSkipped";
    private static final Logger log = LoggerFactory.getLogger(SweepRuns.class);
    private static final String CLAIM = """
            insert into sweep_runs (slot, instance, started_at) values (?, ?, ?) on conflict (slot) do nothing""";
    private static final String FINISH = "update sweep_runs set finished_at = ?, summary = ? where slot = ?";
    private static final String ACTIVE_GRANTS = "select id from grants where deleted_at is null and status = 'active' order by id";

    private final JdbcTemplate jdbc;
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public SweepRuns(JdbcTemplate jdbc, JdbcGrantStore grants, Clock clock) {
        this.jdbc = jdbc;
        this.grants = grants;
        this.clock = clock;
    }

    /** Claims this run; false when another instance already runs it. Manual runs get a slot of their own. */
    public boolean claim(Exchange exchange) {
        Instant now = clock.instant();
        boolean manual = Boolean.TRUE.equals(exchange.getProperty("manual", Boolean.class));
        Instant slot = manual ? now : now.truncatedTo(ChronoUnit.MINUTES);
        boolean claimed = jdbc.update(CLAIM, Timestamp.from(slot), instance, Timestamp.from(now)) == 1;
        if (!claimed) {
            log.info("validation sweep for {} already claimed by another instance; skipping", slot);
            return false;
        }
        exchange.setProperty(SLOT, slot);
        exchange.setProperty(STARTED, now);
        return true;
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
        byReadable.get(false).forEach(grant -> log.warn("validation sweep skips a grant that cannot be decrypted (provider={} user={} grant={})",
                grant.provider(), grant.userId(), grant.id()));
        exchange.setProperty(SKIPPED, byReadable.get(false).size());
        return byReadable.get(true);
    }

    /** Body: the per-grant results. Logs and stores the summary, and answers it. */
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
        Instant started = exchange.getProperty(STARTED, Instant.class);
        Duration duration = Duration.between(started, clock.instant());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checked", checked);
        summary.put("valid", valid);
        summary.put("refreshed", refreshed);
        summary.put("reauthRequired", reauth);
        summary.put("errors", errors);
        summary.put("skippedUndecryptable", exchange.getProperty(SKIPPED, 0, Integer.class));
        summary.put("durationMs", duration.toMillis());
        log.info("validation sweep done: checked={} valid={} refreshed={} reauth_required={} errors={} skipped_undecryptable={} duration={}ms",
                checked, valid, refreshed, reauth, errors, summary.get("skippedUndecryptable"), duration.toMillis());
        jdbc.update(FINISH, Timestamp.from(clock.instant()), summary.toString(), Timestamp.from(exchange.getProperty(SLOT, Instant.class)));
        return summary;
    }
}
