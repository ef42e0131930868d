package dev.oauthbroker.resilience;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code provider_health} rows: each provider's last circuit-breaker state change, so the CLI
 * of any instance shows it. The latest change wins across instances. Written in a transaction of
 * its own — a state change happens inside a refresh whose transaction may still roll back — and
 * a failed write is only logged: the breaker works without the database.
 */
@Component
public class JdbcProviderHealth {

    /** One provider's last breaker change. */
    public record Change(String provider, String state, String reason, Instant changedAt) {}

    private static final Logger log = LoggerFactory.getLogger(JdbcProviderHealth.class);
    private static final String UPSERT = """
            insert into provider_health (provider, breaker_state, reason, changed_at) values (?, ?, ?, ?)
            on conflict (provider) do update
               set breaker_state = excluded.breaker_state, reason = excluded.reason, changed_at = excluded.changed_at
             where provider_health.changed_at <= excluded.changed_at""";
    private static final String ALL = "select provider, breaker_state, reason, changed_at from provider_health";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    public JdbcProviderHealth(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void record(Change change) {
        try {
            ownTransaction.executeWithoutResult(tx -> jdbc.update(UPSERT, change.provider(), change.state(), change.reason(),
                    Timestamp.from(change.changedAt())));
        } catch (DataAccessException e) {
            log.warn("could not record the breaker state of provider {} ({})", change.provider(), e.getClass().getSimpleName());
        }
    }

    /** Every provider's last change, by provider id; a provider without a row never left CLOSED. */
    public Map<String, Change> all() {
        return jdbc.query(ALL, (rs, i) -> new Change(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .stream().collect(Collectors.toMap(Change::provider, Function.identity()));
    }
}
