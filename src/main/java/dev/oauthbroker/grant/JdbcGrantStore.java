package dev.oauthbroker.grant;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.crypto.RotationReport.Undecryptable;
import dev.oauthbroker.crypto.TokenDecryptionException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grants in PostgreSQL. Token columns hold AES-256-GCM ciphertext bound to the grant id and the
 * column. Every token write bumps {@code token_version} and is fenced on the version the writer
 * read, so a stale writer changes nothing.
 *
 * <p>A row whose tokens cannot be decrypted never fails a read: it comes back as an
 * {@linkplain Grant#undecryptable() undecryptable} grant, and the first read that sees it marks it
 * {@code reauth_required} (reason {@value Grant#UNDECRYPTABLE}, one audit event) — so one broken row
 * costs its own grant only, never the user's other tools or a sweep over everyone.
 */
@Component("grantStore")
public class JdbcGrantStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcGrantStore.class);

    private static final String SELECT = """
            select g.*, coalesce((select array_agg(t.tool order by t.tool) from grant_tools t
                                  where t.grant_id = g.id and t.detached_at is null), '{}') as tools
            from grants g""";
    private static final String BY_ID = SELECT + " where g.id = ?";
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
    private static final String MARK_UNDECRYPTABLE = withEvent("""
            update grants set status = 'reauth_required', last_error = ?
            where id = ? and deleted_at is null and (status <> 'reauth_required' or last_error is distinct from ?)""",
            "reauth_required");
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
    private static final String EVENT = """
            insert into grant_events (grant_id, user_id, provider, status, event, detail, at)
            select id, ?, provider, status, ?, ?, ? from grants where id = ?""";
    private static final String USERS = "select distinct user_id from grants where deleted_at is null order by user_id";
    private static final String RECENT_EVENTS = """
            select event, detail, at from grant_events where grant_id = ? order by at desc, id desc limit ?""";
    private static final String LAST_EVENT = """
            select event, detail, at from grant_events where grant_id = ? and event = ? order by at desc, id desc limit 1""";
    private static final String ROTATION_PAGE = """
            select id, user_id, provider, access_token, refresh_token, token_version from grants where id > ? order by id limit 200""";
    /** Key rotation is audited but is no connection event: written as already delivered, never sent. */
    private static final String ROTATE = """
            with changed as (update grants set access_token = ?, refresh_token = ? where id = ? and token_version = ?
                             returning id, user_id, provider, status)
            insert into grant_events (grant_id, user_id, provider, status, event, detail, at, delivered_at)
            select id, user_id, provider, status, 'key_rotated', ?, ?, ? from changed""";
    private static final String CLAIM_LEASE = """
            update grants set refresh_lease_owner = ?, refresh_lease_until = now() + make_interval(secs => ?)
            where id = ? and deleted_at is null and (refresh_lease_until is null or refresh_lease_until < now())""";
    private static final String RELEASE_LEASE = """
            update grants set refresh_lease_owner = null, refresh_lease_until = null where id = ? and refresh_lease_owner = ?""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AesGcmTokenCipher cipher;
    private final Clock clock;
    private final Duration lease;
    private GrantChanges changes = GrantChanges.NONE;

    @Autowired
    public JdbcGrantStore(JdbcTemplate jdbc, TransactionTemplate transactions, AesGcmTokenCipher cipher, Clock clock,
                          BrokerProperties broker) {
        this(jdbc, transactions, cipher, clock, broker.refresh().lease());
    }

    /** {@code lease}: how long a refresh's claim on a grant lasts ({@code broker.refresh.lease}). */
    public JdbcGrantStore(JdbcTemplate jdbc, TransactionTemplate transactions, AesGcmTokenCipher cipher, Clock clock,
                          Duration lease) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cipher = cipher;
        this.clock = clock;
        this.lease = lease;
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
            jdbc.update(INSERT, id, userId, provider,
                    cipher.encrypt(tokens.accessToken(), aad(id, "access_token")),
                    tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), aad(id, "refresh_token")),
                    tokenType(tokens), String.join(" ", tokens.scopes()), expiresAt(tokens, now), ts(now));
            List<UUID> previous = new ArrayList<>();
            for (String tool : tools) {
                previous.addAll(jdbc.queryForList(DETACH_TOOL, UUID.class, ts(now), userId, tool));
                jdbc.update(ATTACH_TOOL, id, userId, tool, ts(now));
            }
            event(id, userId, "connected", "tools=" + String.join(",", tools));
            List<Grant> orphaned = new ArrayList<>();
            for (UUID old : previous.stream().distinct().toList()) {
                if (jdbc.queryForObject(REMAINING_TOOLS, Integer.class, old) == 0) {
                    Grant grant = find(old).orElseThrow();
                    jdbc.update(SOFT_DELETE, ts(now), old);
                    event(old, userId, "disconnected", "replaced by a new consent");
                    orphaned.add(grant);
                }
            }
            return new ConnectResult(find(id).orElseThrow(), orphaned);
        }));
    }

    /** The grant serving this user's tool, active or awaiting reauthorization. */
    public Optional<Grant> findByUserTool(String userId, String tool) {
        return jdbc.query(BY_USER_TOOL, this::grant, userId, tool).stream().findFirst().map(this::isolated);
    }

    public Optional<Grant> find(UUID id) {
        return jdbc.query(BY_ID, this::grant, id).stream().findFirst().map(this::isolated);
    }

    public List<Grant> listForUser(String userId) {
        return jdbc.query(BY_USER, this::grant, userId).stream().map(this::isolated).toList();
    }

    /** Users holding at least one grant that is not disconnected. */
    public List<String> usersWithGrants() {
        return jdbc.queryForList(USERS, String.class);
    }

    /** The latest audit events of a grant, newest first. */
    public List<GrantEvent> recentEvents(UUID grantId, int limit) {
        return jdbc.query(RECENT_EVENTS, (rs, i) -> new GrantEvent(rs.getString("event"), rs.getString("detail"),
                rs.getTimestamp("at").toInstant()), grantId, limit);
    }

    /** The latest audit event of a grant named {@code event}, if any. */
    public Optional<GrantEvent> lastEvent(UUID grantId, String event) {
        return jdbc.query(LAST_EVENT, (rs, i) -> new GrantEvent(rs.getString("event"), rs.getString("detail"),
                rs.getTimestamp("at").toInstant()), grantId, event).stream().findFirst();
    }

    /**
     * Claims the cluster-wide refresh lease of an active grant for {@code owner} (one statement, no
     * transaction left open): true when no unexpired lease was held. The lease ends with the write
     * of new tokens ({@link #saveRefreshed}), with {@link #releaseRefreshLease}, or when it expires
     * after {@code broker.refresh.lease} — long enough for a refresh that keeps to its deadline.
     */
    public boolean claimRefreshLease(UUID grantId, String owner) {
        return jdbc.update(CLAIM_LEASE, owner, (double) lease.toMillis() / 1000, grantId) == 1;
    }

    /** Gives the lease back, if {@code owner} still holds it. */
    public void releaseRefreshLease(UUID grantId, String owner) {
        jdbc.update(RELEASE_LEASE, grantId, owner);
    }

    /**
     * Writes refreshed tokens if the grant is still at the version {@code grant} was read at (the
     * fence: a stale writer changes nothing), and ends the refresh lease in the same statement;
     * keeps the old refresh token when none came (RFC 6749 §6).
     */
    public boolean saveRefreshed(Grant grant, TokenSet tokens) {
        Instant now = clock.instant();
        String scopes = String.join(" ", tokens.scopes());
        // an answer listing scopes replaces the granted set; none keeps it (RFC 6749 §5.1). One that
        // lost a scope (a refresh never adds consent) is news: a scopes_changed event
        boolean narrowed = !tokens.scopes().isEmpty() && !GrantedScopes.lost(grant.scopes(), tokens.scopes()).isEmpty();
        Object[] args = {cipher.encrypt(tokens.accessToken(), aad(grant.id(), "access_token")),
                tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), aad(grant.id(), "refresh_token")),
                tokenType(tokens), scopes, scopes, expiresAt(tokens, now), ts(now), grant.id(), grant.tokenVersion(),
                tokens.refreshToken() == null ? "refresh token kept" : "refresh token rotated", ts(now)};
        if (!narrowed) {
            return told(grant.userId(), jdbc.update(SAVE_REFRESHED, args) == 1);
        }
        // its scopes_changed event in the same transaction as the write
        return told(grant.userId(), transactions.execute(tx -> {
            boolean saved = jdbc.update(SAVE_REFRESHED, args) == 1;
            if (saved) {
                event(grant.id(), grant.userId(), "scopes_changed", "refresh answer: " + GrantedScopes.change(grant.scopes(), tokens.scopes()));
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
                    cipher.encrypt(tokens.accessToken(), aad(grantId, "access_token")),
                    tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), aad(grantId, "refresh_token")),
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
                event(id, userId, "disconnected", "tool " + tool + " detached; grant still serves other tools");
                return new DetachResult(true, null);
            }
            Grant grant = find(id).orElseThrow();
            jdbc.update(SOFT_DELETE, ts(now), id);
            event(id, userId, "disconnected", "tool " + tool + " detached; last tool of the grant");
            return new DetachResult(true, grant);
        }));
    }

    /**
     * Re-encrypts every grant's tokens that are not under the current key, one row per statement
     * (so an interrupted run loses nothing and a rerun resumes), fenced on {@code token_version}.
     */
    public RotationReport reencryptUnderCurrentKey() {
        int rotated = 0, current = 0, changed = 0;
        List<Undecryptable> failed = new ArrayList<>();
        UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: this is the smallest
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList(ROTATION_PAGE, after);
            if (page.isEmpty()) {
                return new RotationReport(rotated, current, changed, failed);
            }
            for (Map<String, Object> row : page) {
                UUID id = (UUID) row.get("id");
                after = id;
                byte[] access = (byte[]) row.get("access_token");
                byte[] refresh = (byte[]) row.get("refresh_token");
                if (!cipher.needsRotation(access) && (refresh == null || !cipher.needsRotation(refresh))) {
                    current++;
                    log.debug("grant {} already under the current key", id);
                    continue;
                }
                try {
                    byte[] newAccess = cipher.encrypt(cipher.decrypt(access, aad(id, "access_token")), aad(id, "access_token"));
                    byte[] newRefresh = refresh == null ? null
                            : cipher.encrypt(cipher.decrypt(refresh, aad(id, "refresh_token")), aad(id, "refresh_token"));
                    Timestamp now = ts(clock.instant());
                    if (jdbc.update(ROTATE, newAccess, newRefresh, id, row.get("token_version"),
                            "now under key " + cipher.currentKeyId(), now, now) == 1) {
                        rotated++;
                        changes.changed((String) row.get("user_id"));
                        log.debug("grant {} re-encrypted under key {}", id, cipher.currentKeyId());
                    } else {
                        changed++;
                        log.debug("grant {} changed meanwhile (refreshed); left for the next run", id);
                    }
                } catch (TokenDecryptionException e) {
                    failed.add(new Undecryptable(id.toString(), (String) row.get("user_id"), (String) row.get("provider")));
                    log.debug("grant {} undecryptable: its key is not configured", id);
                }
            }
        }
    }

    /**
     * An undecryptable grant as {@code reauth_required} ({@value Grant#UNDECRYPTABLE}); the first
     * read that sees it stores that, with a {@code reauth_required} event. Other grants unchanged.
     */
    private Grant isolated(Grant grant) {
        if (!grant.undecryptable() || grant.status() == GrantStatus.disconnected) {
            return grant;
        }
        if (jdbc.update(MARK_UNDECRYPTABLE, Grant.UNDECRYPTABLE, grant.id(), Grant.UNDECRYPTABLE,
                Grant.UNDECRYPTABLE, ts(clock.instant())) == 1) {
            changes.changed(grant.userId());
            log.warn("grant cannot be decrypted (its key is not configured, or the stored value is damaged): marked reauth_required;"
                    + " the user must reconnect (provider={} user={} grant={})", grant.provider(), grant.userId(), grant.id());
        }
        return grant.asReauthRequired(Grant.UNDECRYPTABLE);
    }

    /**
     * Writes a connection event of the grant as it is now (provider, status); callers run it in the
     * transaction of the change it records.
     */
    public void event(UUID grantId, String userId, String event, String detail) {
        jdbc.update(EVENT, userId, event, detail, ts(clock.instant()), grantId);
    }

    /** {@code result} of a committed change of {@code userId}'s grants, after telling {@link #changes} of it. */
    private <T> T told(String userId, T result) {
        changes.changed(userId);
        return result;
    }

    /** {@code change}, an update of one grant, and its event in the same statement: no change, no event. */
    private static String withEvent(String change, String event) {
        return "with changed as (" + change + "\n returning id, user_id, provider, status)\n"
                + "insert into grant_events (grant_id, user_id, provider, status, event, detail, at)\n"
                + "select id, user_id, provider, status, '" + event + "', ?, ? from changed";
    }

    private Grant grant(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        byte[] refresh = rs.getBytes("refresh_token");
        String scopes = rs.getString("scopes");
        String accessToken = null;
        String refreshToken = null;
        boolean undecryptable = false;
        try {
            accessToken = cipher.decrypt(rs.getBytes("access_token"), aad(id, "access_token"));
            refreshToken = refresh == null ? null : cipher.decrypt(refresh, aad(id, "refresh_token"));
        } catch (TokenDecryptionException e) {
            accessToken = null;
            undecryptable = true;
        }
        return new Grant(id, rs.getString("user_id"), rs.getString("provider"),
                GrantStatus.valueOf(rs.getString("status")), accessToken, refreshToken,
                rs.getString("token_type"),
                scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")),
                instant(rs, "expires_at"), rs.getLong("token_version"), instant(rs, "connected_at"),
                instant(rs, "last_refreshed_at"), instant(rs, "last_validated_at"), rs.getString("last_error"),
                Arrays.asList((String[]) rs.getArray("tools").getArray()), undecryptable);
    }

    /** The associated data a token column's ciphertext is bound to: the grant and the column. */
    public static String aad(UUID grantId, String column) {
        return "grant:" + grantId + ":" + column;
    }

    private static String tokenType(TokenSet tokens) {
        return tokens.tokenType() == null || tokens.tokenType().equalsIgnoreCase("bearer") ? "Bearer" : tokens.tokenType();
    }

    private static Timestamp expiresAt(TokenSet tokens, Instant now) {
        return tokens.expiresInSeconds() == null || tokens.expiresInSeconds() <= 0 ? null : ts(now.plusSeconds(tokens.expiresInSeconds()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /** The new grant, and older grants left without tools (soft-deleted, to revoke). */
    public record ConnectResult(Grant grant, List<Grant> orphaned) {}

    /** Whether the tool was connected, and the grant to revoke when it was the grant's last tool. */
    public record DetachResult(boolean wasConnected, Grant orphaned) {}
}
