package dev.oauthbroker.authorization;

import dev.oauthbroker.crypto.Sha256;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.crypto.RotationReport.Undecryptable;
import dev.oauthbroker.crypto.TokenDecryptionException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * Connect flows in flight, in PostgreSQL so a callback or a completion may land on any instance.
 * A flow has two phases in one row: until the callback it is found by its {@code state}; the
 * callback swaps the state for a new opaque {@code pending} id and keeps the authorization code
 * until the user who started the flow completes it. Only SHA-256 hashes of the state and the
 * pending id are stored; the PKCE verifier and the code are encrypted with that hash as associated
 * data. Each phase is consumed by one {@code DELETE … RETURNING}: of two concurrent callbacks
 * (or completions) with one value, exactly one gets the request. A user has at most
 * {@code broker.state.max-per-user} flows in flight; starting another drops the oldest.
 */
@Component
public class JdbcStateStore {

    private static final String INSERT = """
            insert into oauth_states (state_hash, user_id, provider, tools, bucket, code_verifier, code, created_at, scopes, upgrade_grant)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String DROP_OLDEST = """
            delete from oauth_states where user_id = ? and state_hash not in (
                select state_hash from oauth_states where user_id = ? order by created_at desc, state_hash limit ?)""";
    private static final String CONSUME_STATE = """
            delete from oauth_states where state_hash = ? and code is null
            returning user_id, provider, tools, bucket, code_verifier, code, created_at, scopes, upgrade_grant""";
    private static final String CONSUME_PENDING = """
            delete from oauth_states where state_hash = ? and code is not null
            returning user_id, provider, tools, bucket, code_verifier, code, created_at, scopes, upgrade_grant""";
    private static final String ENCRYPTED = "select state_hash, user_id, provider, code_verifier, code from oauth_states";
    private static final String ROTATE = """
            update oauth_states set code_verifier = ?, code = ?
            where state_hash = ? and code_verifier is not distinct from ? and code is not distinct from ?""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AesGcmTokenCipher cipher;
    private final Clock clock;
    private final int maxPerUser;

    public JdbcStateStore(JdbcTemplate jdbc, TransactionTemplate transaction, AesGcmTokenCipher cipher, Clock clock,
                          BrokerProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.cipher = cipher;
        this.clock = clock;
        this.maxPerUser = properties.state().maxPerUser();
    }

    /** Phase one: the authorization request, found by its state until the callback. */
    public void save(String state, PendingAuthorization request) {
        insert(hash(state), request, null);
    }

    /** Removes and returns the request of this state; empty when unknown, already used or already called back. */
    public Optional<PendingAuthorization> consume(String state) {
        return take(CONSUME_STATE, hash(state)).map(Row::request);
    }

    /**
     * Phase two: keeps the authorization code of a called-back request under a new random pending
     * id (answered), its age counted from now.
     */
    public String keepForCompletion(PendingAuthorization request, String code) {
        String pendingId = S256CodeChallenge.randomUrlSafe(32);
        PendingAuthorization calledBack = new PendingAuthorization(request.userId(), request.provider(), request.tools(),
                request.bucket(), request.codeVerifier(), clock.instant(), request.scopes(), request.upgradeGrant());
        insert(hash(pendingId), calledBack, code);
        return pendingId;
    }

    /** Removes and returns the called-back request and its code; empty when unknown or already used. */
    public Optional<CalledBack> consumePending(String pendingId) {
        return take(CONSUME_PENDING, hash(pendingId)).map(row -> new CalledBack(row.request(), row.code()));
    }

    /** A request whose callback came, with the authorization code it brought. */
    public record CalledBack(PendingAuthorization request, String code) {
        @Override
        public String toString() {
            return "CalledBack[" + request + "]";
        }
    }

    /** Re-encrypts pending PKCE verifiers and codes that are not under the current key. */
    public RotationReport reencryptUnderCurrentKey() {
        int rotated = 0, current = 0, changed = 0;
        List<Undecryptable> failed = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(ENCRYPTED)) {
            byte[] hash = (byte[]) row.get("state_hash");
            byte[] verifier = (byte[]) row.get("code_verifier");
            byte[] code = (byte[]) row.get("code");
            if (!needsRotation(verifier) && !needsRotation(code)) {
                current++;
                continue;
            }
            try {
                byte[] freshVerifier = reencrypt(verifier, aad(hash, "code_verifier"));
                byte[] freshCode = reencrypt(code, aad(hash, "code"));
                if (jdbc.update(ROTATE, freshVerifier, freshCode, hash, verifier, code) == 1) {
                    rotated++;
                } else {
                    changed++;
                }
            } catch (TokenDecryptionException e) {
                failed.add(new Undecryptable("state " + HexFormat.of().formatHex(hash, 0, 8), (String) row.get("user_id"),
                        (String) row.get("provider")));
            }
        }
        return new RotationReport(rotated, current, changed, failed);
    }

    public Instant now() {
        return clock.instant();
    }

    private void insert(byte[] hash, PendingAuthorization request, String code) {
        transaction.executeWithoutResult(status -> {
            jdbc.update(connection -> {
                var ps = connection.prepareStatement(INSERT);
                ps.setBytes(1, hash);
                ps.setString(2, request.userId());
                ps.setString(3, request.provider());
                ps.setArray(4, connection.createArrayOf("text", request.tools().toArray()));
                ps.setString(5, request.bucket());
                ps.setBytes(6, encrypt(request.codeVerifier(), aad(hash, "code_verifier")));
                ps.setBytes(7, encrypt(code, aad(hash, "code")));
                ps.setTimestamp(8, Timestamp.from(request.createdAt()));
                ps.setArray(9, connection.createArrayOf("text", request.scopes().toArray()));
                ps.setObject(10, request.upgradeGrant());
                return ps;
            });
            jdbc.update(DROP_OLDEST, request.userId(), request.userId(), maxPerUser);
        });
    }

    private Optional<Row> take(String sql, byte[] hash) {
        return jdbc.query(sql, (rs, i) -> row(rs, hash), (Object) hash).stream().findFirst();
    }

    private Row row(ResultSet rs, byte[] hash) throws SQLException {
        Array tools = rs.getArray("tools");
        Array scopes = rs.getArray("scopes");
        PendingAuthorization request = new PendingAuthorization(rs.getString("user_id"), rs.getString("provider"),
                Arrays.asList((String[]) tools.getArray()), rs.getString("bucket"),
                decrypt(rs.getBytes("code_verifier"), aad(hash, "code_verifier")),
                rs.getTimestamp("created_at").toInstant(),
                scopes == null ? List.of() : Arrays.asList((String[]) scopes.getArray()),
                rs.getObject("upgrade_grant", UUID.class));
        return new Row(request, decrypt(rs.getBytes("code"), aad(hash, "code")));
    }

    private record Row(PendingAuthorization request, String code) {}

    private boolean needsRotation(byte[] value) {
        return value != null && cipher.needsRotation(value);
    }

    private byte[] reencrypt(byte[] value, String aad) {
        return value == null ? null : cipher.encrypt(cipher.decrypt(value, aad), aad);
    }

    private byte[] encrypt(String value, String aad) {
        return value == null ? null : cipher.encrypt(value, aad);
    }

    private String decrypt(byte[] value, String aad) {
        return value == null ? null : cipher.decrypt(value, aad);
    }

    private static String aad(byte[] hash, String column) {
        return "state:" + HexFormat.of().formatHex(hash) + ":" + column;
    }

    static byte[] hash(String value) {
        return Sha256.of(value);
    }
}
