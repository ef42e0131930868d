package dev.oauthbroker.grant;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenDecryptionException;
import dev.oauthbroker.events.JdbcEventOutbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A grant's row as stored and as read: token columns hold AES-256-GCM ciphertext bound to the
 * grant id and the column ({@link #aad}); a read maps the row, its tools and its opened tokens to a
 * {@link Grant}.
 *
 * <p>A row whose tokens cannot be decrypted never fails a read: it comes back as an
 * {@linkplain Grant#undecryptable() undecryptable} grant, and the first read that sees it marks it
 * {@code reauth_required} (reason {@value Grant#UNDECRYPTABLE}, one audit event) — so one broken row
 * costs its own grant only, never the user's other tools or a sweep over everyone.
 */
public final class GrantRows {

    /** The grant store's logger, as before the rows had a class of their own: an operator's alert on it still fires. */
    private static final Logger log = LoggerFactory.getLogger(JdbcGrantStore.class);

    /** Every column of a grant, and its attached tools ({@code tools}); queries add their own joins and conditions. */
    static final String SELECT = """
            select g.*, coalesce((select array_agg(t.tool order by t.tool) from grant_tools t
                                  where t.grant_id = g.id and t.detached_at is null), '{}') as tools
            from grants g""";
    private static final String MARK_UNDECRYPTABLE = JdbcEventOutbox.withEvent("""
            update grants set status = 'reauth_required', last_error = ?
            where id = ? and deleted_at is null and (status <> 'reauth_required' or last_error is distinct from ?)""",
            "reauth_required");

    private final JdbcTemplate jdbc;
    private final AesGcmTokenCipher cipher;
    private final Clock clock;
    private final GrantChanges changes;

    /** {@code changes}: told when a read marks an undecryptable grant. */
    GrantRows(JdbcTemplate jdbc, AesGcmTokenCipher cipher, Clock clock, GrantChanges changes) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        this.changes = changes;
    }

    /** The grants {@code sql} (a {@link #SELECT} with conditions) finds, undecryptable ones isolated. */
    List<Grant> query(String sql, Object... args) {
        return jdbc.query(sql, this::read, args).stream().map(this::isolated).toList();
    }

    /** The {@code access_token} column's value of grant {@code id}. */
    byte[] sealAccessToken(UUID id, String accessToken) {
        return cipher.encrypt(accessToken, aad(id, "access_token"));
    }

    /** The {@code refresh_token} column's value of grant {@code id}: null without a refresh token. */
    byte[] sealRefreshToken(UUID id, String refreshToken) {
        return refreshToken == null ? null : cipher.encrypt(refreshToken, aad(id, "refresh_token"));
    }

    /** The associated data a token column's ciphertext is bound to: the grant and the column. */
    public static String aad(UUID grantId, String column) {
        return "grant:" + grantId + ":" + column;
    }

    /** One row of a {@link #SELECT}; tokens no configured key opens make it {@linkplain Grant#undecryptable() undecryptable}. */
    Grant read(ResultSet rs, int row) throws SQLException {
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

    /**
     * An undecryptable grant as {@code reauth_required} ({@value Grant#UNDECRYPTABLE}); the first
     * read that sees it stores that, with a {@code reauth_required} event. Other grants unchanged.
     */
    Grant isolated(Grant grant) {
        if (!grant.undecryptable() || grant.status() == GrantStatus.disconnected) {
            return grant;
        }
        if (jdbc.update(MARK_UNDECRYPTABLE, Grant.UNDECRYPTABLE, grant.id(), Grant.UNDECRYPTABLE,
                Grant.UNDECRYPTABLE, Timestamp.from(clock.instant())) == 1) {
            changes.changed(grant.userId());
            log.warn("grant cannot be decrypted (its key is not configured, or the stored value is damaged): marked reauth_required;"
                    + " the user must reconnect (provider={} user={} grant={})", grant.provider(), grant.userId(), grant.id());
        }
        return grant.asReauthRequired(Grant.UNDECRYPTABLE);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
