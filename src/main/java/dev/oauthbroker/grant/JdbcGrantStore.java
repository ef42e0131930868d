package dev.oauthbroker.grant;

import static dev.oauthbroker.events.JdbcEventOutbox.withEvent;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.events.JdbcEventOutbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grants and the tools pointing at them, in PostgreSQL. Token columns hold ciphertext, read and
 * written through {@link GrantRows} (which also isolates a row that cannot be decrypted). Every token
 * write bumps {@code token_version} and is fenced on the version the writer read, so a stale writer
 * changes nothing; every change writes its connection event in the same statement or transaction
 * ({@link JdbcEventOutbox}). Refresh leases, key rotation, the outbox's delivery and the sweep's
 * runs are stores of their own ({@code JdbcRefreshLeases}, {@link GrantKeyRotation},
 * {@link JdbcEventOutbox}, {@code JdbcSweepRuns}).
 */
@Component("grantStore")
public class JdbcGrantStore {

    private static final String SELECT = GrantRows.SELECT;
    private static final String BY_ID = SELECT + " where g.id = ?";
    private static final String BY_IDS = SELECT + " where g.id = any(?)";
    private static final String BY_USER_TOOL = SELECT + """
             join grant_tools gt on gt.grant_id = g.id and gt.detached_at is null
            where gt.user_id = ? and gt.tool = ? and g.deleted_at is null""";
    private static final String BY_USER = SELECT + " where g.user_id = ? and g.deleted_at is null order by g.connected_at";
    private static final String INSERT = """
            insert into grants (id, user_id, provider, access_token, refresh_token, token_type, scopes, expires_at, connected_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String DETACH_TOOL = """
            update grant_tools set detached_at = ? where user_id = ? and tool = ? and detached_at is null
            returning grant_id""";
    private static final String ATTACH_TOOL = "insert into grant_tools (grant_id, user_id, tool, attached_at) values (?, ?, ?, ?)";
    private static final String REMAINING_TOOLS = "select count(*) from grant_tools where grant_id = ? and detached_at is null";
    private static final String SOFT_DELETE = """
            update grants set status = 'disconnected', deleted_at = ? where id = ? and deleted_at is null""";
    private static final String SAVE_REFRESHED = withEvent("""
            update grants set access_token = ?, refresh_token = coalesce(?, refresh_token), token_type = ?,
                   scopes = case when ? = '' then scopes else ? end, expires_at = ?, status = 'active',
                   token_version = token_version + 1, last_refreshed_at = ?, last_error = null,
                   refresh_lease_owner = null, refresh_lease_until = null
            where id = ? and token_version = ? and deleted_at is null""", "refreshed");
    /** A Grant access consent's tokens replace the grant's own, fenced on nothing: the user's new consent wins. */
    private static final String UPGRADE = withEvent("""
            update grants set access_token = ?, refresh_token = coalesce(?, refresh_token), token_type = ?, scopes = ?,
                   expires_at = ?, status = 'active', token_version = token_version + 1, last_refreshed_at = ?, last_error = null
            where id = ? and user_id = ? and provider = ? and deleted_at is null""", "scopes_changed");
    private static final String MARK_REAUTH = withEvent("""
            update grants set status = 'reauth_required', last_error = ?
            where id = ? and token_version = ? and status = 'active' and deleted_at is null""", "reauth_required");
    /** One {@code token_rejected} event per rejected token version: concurrent reports of it serialise on the row. */
    private static final String RECORD_REJECTION = withEvent("""
            update grants set rejected_token_version = token_version
            where id = ? and token_version = ? and deleted_at is null and rejected_token_version is distinct from token_version""",
            "token_rejected");
    private static final String RECORD_FAILURE = withEvent("""
            update grants set last_error = ? where id = ? and token_version = ? and deleted_at is null""", "refresh_failed");
    /** A validated event only when the validation is news: the grant's first, or the first since an error. */
    private static final String MARK_VALIDATED = """
            with prior as (select id, last_validated_at is null or last_error is not null as news from grants where id = ? for update),
                 changed as (update grants g set last_validated_at = ?, last_error = null from prior where g.id = prior.id
                             returning g.id, g.user_id, g.provider, g.status, prior.news)
            insert into grant_events (grant_id, user_id, provider, status, event, detail, at)
            select id, user_id, provider, status, 'validated', 'valid', ? from changed where news""";
    private static final String USERS = "select distinct user_id from grants where deleted_at is null order by user_id";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JdbcEventOutbox events;
    private final GrantRows rows;
    private GrantChanges changes = GrantChanges.NONE;

    /** {@code events}: on the same data source, so an event joins the transaction of its change. */
    public JdbcGrantStore(JdbcTemplate jdbc, TransactionTemplate transactions, AesGcmTokenCipher cipher, Clock clock,
                          JdbcEventOutbox events) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
        this.rows = new GrantRows(jdbc, cipher, clock, userId -> changes.changed(userId));
    }

    /** Who is told of each change this store commits (the token cache); none unless set. */
    @Autowired(required = false)
    public void setChanges(GrantChanges changes) {
        this.changes = changes;
    }

    /**
     * Stores one grant for one consent and points every tool at it, in one transaction. A tool
     * that pointed at an older grant is moved; an older grant left with no tool is soft-deleted
     * and returned, so the caller can revoke it at the provider.
     */
    public ConnectResult connect(String userId, String provider, List<String> tools, TokenSet tokens) {
        return told(userId, transactions.execute(tx -> {
            Instant now = clock.instant();
            UUID id = UUID.randomUUID();
            jdbc.update(INSERT, id, userId, provider, rows.sealAccessToken(id, tokens.accessToken()),
                    rows.sealRefreshToken(id, tokens.refreshToken()), tokenType(tokens), String.join(" ", tokens.scopes()), expiresAt(tokens, now), ts(now));
            List<UUID> previous = new ArrayList<>();
            for (String tool : tools) {
                previous.addAll(jdbc.queryForList(DETACH_TOOL, UUID.class, ts(now), userId, tool));
                jdbc.update(ATTACH_TOOL, id, userId, tool, ts(now));
            }
            events.append(id, userId, "connected", "tools=" + String.join(",", tools));
            List<Grant> orphaned = new ArrayList<>();
            for (UUID old : previous.stream().distinct().toList()) {
                if (jdbc.queryForObject(REMAINING_TOOLS, Integer.class, old) == 0) {
                    Grant grant = find(old).orElseThrow();
                    jdbc.update(SOFT_DELETE, ts(now), old);
                    events.append(old, userId, "disconnected", "replaced by a new consent");
                    orphaned.add(grant);
                }
            }
            return new ConnectResult(find(id).orElseThrow(), orphaned);
        }));
    }

    /** The grant serving this user's tool, active or awaiting reauthorization. */
    public Optional<Grant> findByUserTool(String userId, String tool) {
        return rows.query(BY_USER_TOOL, userId, tool).stream().findFirst();
    }

    public Optional<Grant> find(UUID id) {
        return rows.query(BY_ID, id).stream().findFirst();
    }

    /** The grants of {@code ids} that exist, by id, in one query (a sweep's claimed batch). */
    public Map<UUID, Grant> findAll(Collection<UUID> ids) {
        Map<UUID, Grant> found = new HashMap<>();
        rows.query(BY_IDS, (Object) ids.toArray(UUID[]::new)).forEach(grant -> found.put(grant.id(), grant));
        return found;
    }

    public List<Grant> listForUser(String userId) {
        return rows.query(BY_USER, userId);
    }

    /** Users holding at least one grant that is not disconnected. */
    public List<String> usersWithGrants() {
        return jdbc.queryForList(USERS, String.class);
    }

    /**
     * Writes refreshed tokens if the grant is still at the version {@code grant} was read at (the
     * fence: a stale writer changes nothing), and ends the refresh lease (JdbcRefreshLeases) in the same statement;
     * keeps the old refresh token when none came (RFC 6749 §6).
     */
    public boolean saveRefreshed(Grant grant, TokenSet tokens) {
        Instant now = clock.instant();
        String scopes = String.join(" ", tokens.scopes());
        // an answer listing scopes replaces the granted set; none keeps it (RFC 6749 §5.1). One that
        // lost a scope (a refresh never adds consent) is news: a scopes_changed event
        boolean narrowed = !tokens.scopes().isEmpty() && !GrantedScopes.lost(grant.scopes(), tokens.scopes()).isEmpty();
        Object[] args = {rows.sealAccessToken(grant.id(), tokens.accessToken()), rows.sealRefreshToken(grant.id(), tokens.refreshToken()),
                tokenType(tokens), scopes, scopes, expiresAt(tokens, now), ts(now), grant.id(), grant.tokenVersion(),
                tokens.refreshToken() == null ? "refresh token kept" : "refresh token rotated", ts(now)};
        if (!narrowed) {
            return told(grant.userId(), jdbc.update(SAVE_REFRESHED, args) == 1);
        }
        // its scopes_changed event in the same transaction as the write
        return told(grant.userId(), transactions.execute(tx -> {
            boolean saved = jdbc.update(SAVE_REFRESHED, args) == 1;
            if (saved) {
                events.append(grant.id(), grant.userId(), "scopes_changed", "refresh answer: " + GrantedScopes.change(grant.scopes(), tokens.scopes()));
            }
            return saved;
        }));
    }

    /**
     * Stores a Grant access consent in the grant it upgrades (same id, same tools): its tokens
     * replace the grant's, {@code tokens.scopes()} is the new granted set, the grant is active
     * again, with a {@code scopes_changed} event. Empty when the grant is no longer this user's
     * live grant of this provider (disconnected meanwhile): nothing written.
     */
    public Optional<Grant> upgrade(UUID grantId, String userId, String provider, TokenSet tokens) {
        return told(userId, transactions.execute(tx -> {
            Instant now = clock.instant();
            List<String> before = jdbc.query("select scopes from grants where id = ? and user_id = ? and deleted_at is null for update",
                    (rs, i) -> rs.getString(1), grantId, userId).stream().findFirst()
                    .map(s -> s.isBlank() ? List.<String>of() : Arrays.asList(s.split(" "))).orElse(null);
            if (before == null) {
                return Optional.<Grant>empty();
            }
            int updated = jdbc.update(UPGRADE,
                    rows.sealAccessToken(grantId, tokens.accessToken()), rows.sealRefreshToken(grantId, tokens.refreshToken()),
                    tokenType(tokens), String.join(" ", tokens.scopes()), expiresAt(tokens, now), ts(now),
                    grantId, userId, provider, "Grant access: " + GrantedScopes.change(before, tokens.scopes()), ts(now));
            return updated == 1 ? find(grantId) : Optional.<Grant>empty();
        }));
    }

    /**
     * Marks the grant as needing a new consent, with its {@code reauth_required} event, unless its
     * tokens changed since {@code grant} was read (a lost race) or it is no longer active (already
     * dead, or disconnected): then nothing is written and there is no event.
     */
    public boolean markReauthRequired(Grant grant, String reason) {
        return told(grant.userId(), jdbc.update(MARK_REAUTH, reason, grant.id(), grant.tokenVersion(), reason, ts(clock.instant())) == 1);
    }

    /**
     * Records that a backend reported the grant's access token (as of {@code grant}'s version) as
     * rejected by the provider, with a {@code token_rejected} event — once per token version: true
     * for the first report, false for any later one, or when the token changed meanwhile.
     */
    public boolean recordRejection(Grant grant, String detail) {
        return jdbc.update(RECORD_REJECTION, grant.id(), grant.tokenVersion(), detail, ts(clock.instant())) == 1;
    }

    /** Records a refresh that failed for a transient reason, with its event, unless the grant was refreshed meanwhile. */
    public void recordRefreshFailure(Grant grant, String reason) {
        jdbc.update(RECORD_FAILURE, reason, grant.id(), grant.tokenVersion(), reason, ts(clock.instant()));
    }

    /** Records a passed validation; its {@code validated} event only when that is news ({@link #MARK_VALIDATED}). */
    public void markValidated(Grant grant) {
        Timestamp now = ts(clock.instant());
        jdbc.update(MARK_VALIDATED, grant.id(), now, now);
    }

    /**
     * Detaches a user's tool from its grant. Returns the grant when the tool was its last one —
     * the grant is then soft-deleted and should be revoked — else empty.
     */
    public DetachResult detach(String userId, String tool) {
        return told(userId, transactions.execute(tx -> {
            Instant now = clock.instant();
            List<UUID> grants = jdbc.queryForList(DETACH_TOOL, UUID.class, ts(now), userId, tool);
            if (grants.isEmpty()) {
                return new DetachResult(false, null);
            }
            UUID id = grants.get(0);
            if (jdbc.queryForObject(REMAINING_TOOLS, Integer.class, id) > 0) {
                events.append(id, userId, "disconnected", "tool " + tool + " detached; grant still serves other tools");
                return new DetachResult(true, null);
            }
            Grant grant = find(id).orElseThrow();
            jdbc.update(SOFT_DELETE, ts(now), id);
            events.append(id, userId, "disconnected", "tool " + tool + " detached; last tool of the grant");
            return new DetachResult(true, grant);
        }));
    }

    /** {@code result} of a committed change of {@code userId}'s grants, after telling {@link #changes} of it. */
    private <T> T told(String userId, T result) {
        changes.changed(userId);
        return result;
    }

    private static String tokenType(TokenSet tokens) {
        return tokens.tokenType() == null || tokens.tokenType().equalsIgnoreCase("bearer") ? "Bearer" : tokens.tokenType();
    }

    private static Timestamp expiresAt(TokenSet tokens, Instant now) {
        return tokens.expiresInSeconds() == null || tokens.expiresInSeconds() <= 0 ? null : ts(now.plusSeconds(tokens.expiresInSeconds()));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /** The new grant, and older grants left without tools (soft-deleted, to revoke). */
    public record ConnectResult(Grant grant, List<Grant> orphaned) {}

    /** Whether the tool was connected, and the grant to revoke when it was the grant's last tool. */
    public record DetachResult(boolean wasConnected, Grant orphaned) {}
}
