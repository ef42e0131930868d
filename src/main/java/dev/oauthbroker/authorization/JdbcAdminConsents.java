package dev.oauthbroker.authorization;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Admin-consent links in flight and the organisations that consented, in PostgreSQL (any instance
 * may take the administrator's answer). As for connect flows, only the SHA-256 of a link's state is
 * stored, and a link is consumed by one {@code DELETE … RETURNING}: of two answers with one state,
 * exactly one is recorded.
 */
@Component
public class JdbcAdminConsents {

    private static final String INSERT_REQUEST = """
            insert into admin_consent_requests (state_hash, user_id, provider, bucket, scopes, created_at) values (?, ?, ?, ?, ?, ?)""";
    private static final String DROP_EXPIRED = "delete from admin_consent_requests where created_at < ?";
    private static final String IS_REQUEST = "select count(*) from admin_consent_requests where state_hash = ?";
    private static final String CONSUME = """
            delete from admin_consent_requests where state_hash = ? returning user_id, provider, bucket, scopes, created_at""";
    private static final String RECORD = """
            insert into admin_consents (provider, tenant, scopes, requested_by, consented_at) values (?, ?, ?, ?, ?)
            on conflict (provider, tenant) do update
            set scopes = excluded.scopes, requested_by = excluded.requested_by, consented_at = excluded.consented_at""";
    private static final String OF_PROVIDER = """
            select provider, tenant, scopes, requested_by, consented_at from admin_consents where provider = ? order by consented_at desc, tenant""";

    private final JdbcTemplate jdbc;

    public JdbcAdminConsents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps a new link's request under its state; links created before {@code expiredBefore} are deleted. */
    public void save(String state, AdminConsentRequest request, Instant expiredBefore) {
        jdbc.update(DROP_EXPIRED, Timestamp.from(expiredBefore));
        jdbc.update(INSERT_REQUEST, hash(state), request.userId(), request.provider(), request.bucket(),
                String.join(" ", request.scopes()), Timestamp.from(request.createdAt()));
    }

    /** Whether the state is an admin-consent link's (not consumed: the callback dispatches on it). */
    public boolean isRequest(String state) {
        Integer count = jdbc.queryForObject(IS_REQUEST, Integer.class, (Object) hash(state));
        return count != null && count > 0;
    }

    /** Removes and returns the link's request; empty when unknown or already answered. */
    public Optional<AdminConsentRequest> consume(String state) {
        return jdbc.query(CONSUME, (rs, i) -> new AdminConsentRequest(rs.getString("user_id"), rs.getString("provider"),
                rs.getString("bucket"), scopes(rs.getString("scopes")), rs.getTimestamp("created_at").toInstant()),
                (Object) hash(state)).stream().findFirst();
    }

    /** Records (or renews) the organisation's consent. */
    public void record(AdminConsentRecord consent) {
        jdbc.update(RECORD, consent.provider(), consent.tenant(), String.join(" ", consent.scopes()), consent.requestedBy(),
                Timestamp.from(consent.consentedAt()));
    }

    /** The organisations that consented at this provider, latest first. */
    public List<AdminConsentRecord> of(String provider) {
        return jdbc.query(OF_PROVIDER, (rs, i) -> new AdminConsentRecord(rs.getString("provider"), rs.getString("tenant"),
                scopes(rs.getString("scopes")), rs.getString("requested_by"), rs.getTimestamp("consented_at").toInstant()), provider);
    }

    private static List<String> scopes(String joined) {
        return joined.isBlank() ? List.of() : Arrays.asList(joined.split(" "));
    }

    private static byte[] hash(String state) {
        return JdbcStateStore.hash(state);
    }
}
