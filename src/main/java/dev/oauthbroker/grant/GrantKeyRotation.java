package dev.oauthbroker.grant;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.crypto.RotationReport.Undecryptable;
import dev.oauthbroker.crypto.TokenDecryptionException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Key rotation of the grants' tokens ({@code oauth-cli rotate-key}): re-encrypts every grant whose
 * token columns are not under the current {@code ENCRYPTION_KEY}, one row per statement (so an
 * interrupted run loses nothing and a rerun resumes), fenced on {@code token_version} so a refresh
 * meanwhile wins. Each rotated grant gets a {@code key_rotated} event, written as already
 * delivered: it is audited but no connection event, never sent.
 */
@Component
public class GrantKeyRotation {

    private static final Logger log = LoggerFactory.getLogger(GrantKeyRotation.class);
    private static final String PAGE = """
            select id, user_id, provider, access_token, refresh_token, token_version from grants where id > ? order by id limit 200""";
    private static final String ROTATE = """
            with changed as (update grants set access_token = ?, refresh_token = ? where id = ? and token_version = ?
                             returning id, user_id, provider, status)
            insert into grant_events (grant_id, user_id, provider, status, event, detail, at, delivered_at)
            select id, user_id, provider, status, 'key_rotated', ?, ?, ? from changed""";

    private final JdbcTemplate jdbc;
    private final AesGcmTokenCipher cipher;
    private final Clock clock;
    private final GrantChanges changes;

    /** {@code changes}: told of each rotated grant (the token cache), if there is one. */
    public GrantKeyRotation(JdbcTemplate jdbc, AesGcmTokenCipher cipher, Clock clock, Optional<GrantChanges> changes) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        this.changes = changes.orElse(GrantChanges.NONE);
    }

    /** One pass over every grant, in id order: rotated, already current, changed meanwhile, or undecryptable (named). */
    public RotationReport reencryptUnderCurrentKey() {
        int rotated = 0, current = 0, changed = 0;
        List<Undecryptable> failed = new ArrayList<>();
        UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: this is the smallest
        while (true) {
            List<Map<String, Object>> page = jdbc.queryForList(PAGE, after);
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
                    byte[] newAccess = reencrypt(access, GrantRows.aad(id, "access_token"));
                    byte[] newRefresh = refresh == null ? null : reencrypt(refresh, GrantRows.aad(id, "refresh_token"));
                    Timestamp now = Timestamp.from(clock.instant());
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

    private byte[] reencrypt(byte[] sealed, String aad) {
        return cipher.encrypt(cipher.decrypt(sealed, aad), aad);
    }
}
