package dev.oauthbroker.authorization;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.crypto.RotationReport.Undecryptable;
import dev.oauthbroker.crypto.TokenDecryptionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Pending authorization requests in PostgreSQL, so a callback may land on any instance. Only the
 * SHA-256 of a state is stored; the PKCE verifier is encrypted with the state hash as associated
 * data. {@link #consume} deletes the row in the same statement that reads it: of two concurrent
 * callbacks with one state, exactly one gets the request.
 */
@Component
public class JdbcStateStore {

    private static final String INSERT = """
            insert into oauth_states (state_hash, user_id, provider, tools, bucket, code_verifier, created_at)
            values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String CONSUME = """
            delete from oauth_states where state_hash = ?
            returning user_id, provider, tools, bucket, code_verifier, created_at""";
    private static final String SWEEP = "delete from oauth_states where created_at < ?";
    private static final String WITH_VERIFIER = "select state_hash, user_id, provider, code_verifier from oauth_states where code_verifier is not null";
    private static final String ROTATE = "update oauth_states set code_verifier = ? where state_hash = ? and code_verifier = ?";

    private final JdbcTemplate jdbc;
    private final AesGcmTokenCipher cipher;
    private final Clock clock;

    private final Duration sweepAfter;

    public JdbcStateStore(JdbcTemplate jdbc, AesGcmTokenCipher cipher, Clock clock, BrokerProperties properties) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        this.sweepAfter = properties.state().sweepAfter();
    }

    public void save(String state, PendingAuthorization request) {
        byte[] hash = hash(state);
        byte[] verifier = request.codeVerifier() == null ? null : cipher.encrypt(request.codeVerifier(), aad(hash));
        jdbc.update(connection -> {
            var ps = connection.prepareStatement(INSERT);
            ps.setBytes(1, hash);
            ps.setString(2, request.userId());
            ps.setString(3, request.provider());
            ps.setArray(4, connection.createArrayOf("text", request.tools().toArray()));
            ps.setString(5, request.bucket());
            ps.setBytes(6, verifier);
            ps.setTimestamp(7, Timestamp.from(request.createdAt()));
            return ps;
        });
    }

    /** Removes and returns the request of this state; empty when unknown or already used. */
    public Optional<PendingAuthorization> consume(String state) {
        byte[] hash = hash(state);
        List<PendingAuthorization> rows = jdbc.query(CONSUME, (rs, i) -> {
            Array tools = rs.getArray("tools");
            byte[] verifier = rs.getBytes("code_verifier");
            return new PendingAuthorization(rs.getString("user_id"), rs.getString("provider"),
                    Arrays.asList((String[]) tools.getArray()), rs.getString("bucket"),
                    verifier == null ? null : cipher.decrypt(verifier, aad(hash)),
                    rs.getTimestamp("created_at").toInstant());
        }, (Object) hash);
        return rows.stream().findFirst();
    }

    /** Deletes requests (and their PKCE verifiers) older than {@code broker.state.sweep-after}; returns how many. */
    public int sweepExpired() {
        return jdbc.update(SWEEP, Timestamp.from(clock.instant().minus(sweepAfter)));
    }

    /** Re-encrypts pending PKCE verifiers that are not under the current key. */
    public RotationReport reencryptUnderCurrentKey() {
        int rotated = 0, current = 0, changed = 0;
        List<Undecryptable> failed = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(WITH_VERIFIER)) {
            byte[] hash = (byte[]) row.get("state_hash");
            byte[] verifier = (byte[]) row.get("code_verifier");
            if (!cipher.needsRotation(verifier)) {
                current++;
                continue;
            }
            try {
                byte[] fresh = cipher.encrypt(cipher.decrypt(verifier, aad(hash)), aad(hash));
                if (jdbc.update(ROTATE, fresh, hash, verifier) == 1) {
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

    private static String aad(byte[] hash) {
        return "state:" + HexFormat.of().formatHex(hash) + ":code_verifier";
    }

    private static byte[] hash(String state) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
