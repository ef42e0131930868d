package dev.oauthbroker.grant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.crypto.RotationReport.Undecryptable;
import dev.oauthbroker.postgres.StoreDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Key rotation of the grants on PostgreSQL, without Spring: re-encrypted, counted, resumable, fenced. */
class GrantKeyRotationTests {

    private static final DataSource data = StoreDatabase.create();
    private static final String OLD = "old-key-0123456789abcdef-0123456789ab";
    private static final String NEW = "new-key-0123456789abcdef-0123456789ab";

    private final JdbcTemplate jdbc = StoreDatabase.jdbc(data);
    private final AesGcmTokenCipher underOld = StoreDatabase.cipher(OLD);
    private final AesGcmTokenCipher rotating = StoreDatabase.cipher(NEW, OLD);
    private final AesGcmTokenCipher onlyNew = StoreDatabase.cipher(NEW);
    private final List<String> told = new ArrayList<>();

    @BeforeEach
    void empty() {
        jdbc.execute("truncate grant_events, grant_tools, grants");
    }

    @Test
    void everyGrantUnderAnOldKeyIsReencryptedUnderTheCurrentOneCountedAndAuditedAsDelivered() {
        JdbcGrantStore old = StoreDatabase.grantStore(data, underOld, Clock.systemUTC());
        old.connect("u1", "atlassian", List.of("jira"), new TokenSet("at-SECRET-1", "rt-SECRET-1", "Bearer", 3600L, List.of()));
        old.connect("u2", "github", List.of("github"), new TokenSet("gho_SECRET-2", null, "Bearer", null, List.of()));
        old.connect("u3", "google", List.of("google_workspace"), new TokenSet("ya29.SECRET-3", "1//SECRET-3", "Bearer", 3600L, List.of()));
        List<Long> versions = jdbc.queryForList("select token_version from grants order by id", Long.class);

        RotationReport report = rotation(jdbc).reencryptUnderCurrentKey();

        assertThat(report).isEqualTo(new RotationReport(3, 0, 0, List.of()));
        JdbcGrantStore readNew = StoreDatabase.grantStore(data, onlyNew, Clock.systemUTC());
        assertThat(readNew.findByUserTool("u1", "jira").orElseThrow()).satisfies(grant -> {
            assertThat(grant.accessToken()).isEqualTo("at-SECRET-1");
            assertThat(grant.refreshToken()).isEqualTo("rt-SECRET-1");
        });
        assertThat(readNew.findByUserTool("u2", "github").orElseThrow().accessToken()).isEqualTo("gho_SECRET-2");
        assertThat(readNew.findByUserTool("u3", "google_workspace").orElseThrow().refreshToken()).isEqualTo("1//SECRET-3");
        assertThat(jdbc.queryForList("select token_version from grants order by id", Long.class)).as("no token change").isEqualTo(versions);
        assertThat(jdbc.queryForList("select detail from grant_events where event = 'key_rotated' and delivered_at is not null", String.class))
                .hasSize(3).containsOnly("now under key " + onlyNew.currentKeyId());
        assertThat(told).containsExactlyInAnyOrder("u1", "u2", "u3");

        assertThat(rotation(jdbc).reencryptUnderCurrentKey()).as("a rerun").isEqualTo(new RotationReport(0, 3, 0, List.of()));
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'key_rotated'", Integer.class)).isEqualTo(3);
    }

    @Test
    void aGrantRefreshedDuringThePassIsLeftAsTheRefreshWroteIt() {
        Grant raced = StoreDatabase.grantStore(data, underOld, Clock.systemUTC())
                .connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of())).grant();
        byte[] before = jdbc.queryForObject("select access_token from grants where id = ?", byte[].class, raced.id());
        JdbcTemplate refreshMeanwhile = new JdbcTemplate(data) {
            @Override
            public List<Map<String, Object>> queryForList(String sql, Object... args) {
                List<Map<String, Object>> page = super.queryForList(sql, args);
                update("update grants set token_version = token_version + 1 where id = ?", raced.id());
                return page;
            }
        };

        RotationReport report = rotation(refreshMeanwhile).reencryptUnderCurrentKey();

        assertThat(report).isEqualTo(new RotationReport(0, 0, 1, List.of()));
        assertThat(jdbc.queryForObject("select access_token from grants where id = ?", byte[].class, raced.id())).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'key_rotated'", Integer.class)).isZero();
        assertThat(told).isEmpty();
    }

    @Test
    void aGrantNoConfiguredKeyOpensIsNamedAndLeftAsItIs() {
        Grant lost = StoreDatabase.grantStore(data, StoreDatabase.cipher("dropped-key-0123456789abcdef-0123456"), Clock.systemUTC())
                .connect("u9", "slack", List.of("slack"), new TokenSet("xoxb-SECRET", null, "Bearer", null, List.of())).grant();
        StoreDatabase.grantStore(data, underOld, Clock.systemUTC())
                .connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of()));
        byte[] before = jdbc.queryForObject("select access_token from grants where id = ?", byte[].class, lost.id());

        RotationReport report = rotation(jdbc).reencryptUnderCurrentKey();

        assertThat(report).isEqualTo(new RotationReport(1, 0, 0, List.of(new Undecryptable(lost.id().toString(), "u9", "slack"))));
        assertThat(jdbc.queryForObject("select access_token from grants where id = ?", byte[].class, lost.id())).isEqualTo(before);
    }

    private GrantKeyRotation rotation(JdbcTemplate with) {
        return new GrantKeyRotation(with, rotating, Clock.systemUTC(), Optional.of(told::add));
    }
}
