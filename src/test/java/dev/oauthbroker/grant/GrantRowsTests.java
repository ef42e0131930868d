package dev.oauthbroker.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenDecryptionException;
import dev.oauthbroker.postgres.StoreDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A grant's row on PostgreSQL, without Spring: sealed token columns, the row read back, an undecryptable row isolated. */
class GrantRowsTests {

    private static final DataSource data = StoreDatabase.create();
    /** A user's grants, by provider. */
    private static final String BY_USER = GrantRows.SELECT + " where g.user_id = ? order by g.provider";
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final JdbcTemplate jdbc = StoreDatabase.jdbc(data);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AesGcmTokenCipher cipher = StoreDatabase.cipher("rows-test-key-0123456789abcdef-01234");
    private final JdbcGrantStore grants = StoreDatabase.grantStore(data, cipher, clock);
    private final List<String> told = new ArrayList<>();

    @BeforeEach
    void empty() {
        jdbc.execute("truncate grant_events, grant_tools, grants");
    }

    @Test
    void aRowReadsBackWithItsTokensOpenedItsScopesAndItsAttachedToolsInOrder() {
        Grant stored = grants.connect("u1", "atlassian", List.of("jira", "confluence"),
                new TokenSet("at-SECRET", "rt-SECRET", "bearer", 3600L, List.of("read:jira-work", "offline_access"))).grant();

        Grant read = rows(cipher).query(BY_USER, "u1").get(0);

        assertThat(read.id()).isEqualTo(stored.id());
        assertThat(read.accessToken()).isEqualTo("at-SECRET");
        assertThat(read.refreshToken()).isEqualTo("rt-SECRET");
        assertThat(read.tokenType()).isEqualTo("Bearer");
        assertThat(read.scopes()).containsExactly("read:jira-work", "offline_access");
        assertThat(read.tools()).containsExactly("confluence", "jira");
        assertThat(read.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(read.connectedAt()).isEqualTo(NOW);
        assertThat(read.status()).isEqualTo(GrantStatus.active);
        assertThat(read.undecryptable()).isFalse();
        assertThat(told).isEmpty();
    }

    @Test
    void aTokenColumnHoldsCiphertextBoundToItsGrantAndColumn() {
        Grant grant = grants.connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of())).grant();
        byte[] column = jdbc.queryForObject("select access_token from grants where id = ?", byte[].class, grant.id());

        assertThat(new String(column, StandardCharsets.ISO_8859_1)).doesNotContain("gho_SECRET");
        assertThat(cipher.decrypt(column, GrantRows.aad(grant.id(), "access_token"))).isEqualTo("gho_SECRET");
        assertThatThrownBy(() -> cipher.decrypt(column, GrantRows.aad(grant.id(), "refresh_token"))).isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt(column, GrantRows.aad(java.util.UUID.randomUUID(), "access_token")))
                .isInstanceOf(TokenDecryptionException.class);
        assertThat(jdbc.queryForObject("select refresh_token from grants where id = ?", byte[].class, grant.id())).isNull();
    }

    @Test
    void anUndecryptableRowIsMarkedReauthRequiredOnceWithOneEventAndTheUsersOtherGrantsAreUntouched() {
        Grant lost = grants.connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of())).grant();
        grants.connect("u1", "google", List.of("google_workspace"), new TokenSet("ya29.SECRET", "1//SECRET", "Bearer", 3600L, List.of()));
        makeUndecryptable(lost);
        GrantRows rows = rows(cipher);

        List<Grant> first = rows.query(BY_USER, "u1");
        List<Grant> second = rows.query(BY_USER, "u1");

        assertThat(first.get(0).undecryptable()).isTrue();
        assertThat(first.get(0).accessToken()).isNull();
        assertThat(first.get(0).status()).isEqualTo(GrantStatus.reauth_required);
        assertThat(first.get(0).lastError()).isEqualTo(Grant.UNDECRYPTABLE);
        assertThat(second.get(0).status()).isEqualTo(GrantStatus.reauth_required);
        assertThat(first.get(1).accessToken()).as("the user's other grant").isEqualTo("ya29.SECRET");
        assertThat(jdbc.queryForList("select status from grants where user_id = 'u1' order by provider", String.class))
                .containsExactly("reauth_required", "active");
        assertThat(jdbc.queryForObject("select count(*) from grant_events where grant_id = ? and event = 'reauth_required' and detail = ?",
                Integer.class, lost.id(), Grant.UNDECRYPTABLE)).as("one event, by the first read").isEqualTo(1);
        assertThat(told).as("the cache told once").containsExactly("u1");
    }

    @Test
    void aDisconnectedUndecryptableRowIsReadAsItIsWithoutAWrite() {
        Grant gone = grants.connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of())).grant();
        grants.detach("u1", "github");
        makeUndecryptable(gone);

        Grant read = rows(cipher).query(BY_USER, "u1").get(0);

        assertThat(read.status()).isEqualTo(GrantStatus.disconnected);
        assertThat(read.undecryptable()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'reauth_required'", Integer.class)).isZero();
        assertThat(told).isEmpty();
    }

    @Test
    void aRowUnderAKeyThatIsNotConfiguredIsUndecryptable() {
        grants.connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of()));

        Grant read = rows(StoreDatabase.cipher("another-key-0123456789abcdef-0123456")).query(BY_USER, "u1").get(0);

        assertThat(read.undecryptable()).isTrue();
        assertThat(read.status()).isEqualTo(GrantStatus.reauth_required);
    }

    @Test
    void aBatchOfIdsIsReadInOneQueryWithoutTheGoneOnesAndWithTheUndecryptableIsolated() {
        Grant github = grants.connect("u1", "github", List.of("github"), new TokenSet("gho_SECRET", null, "Bearer", null, List.of())).grant();
        Grant google = grants.connect("u2", "google", List.of("google_workspace"), new TokenSet("ya29.SECRET", "1//SECRET", "Bearer", 3600L, List.of())).grant();
        Grant lost = grants.connect("u3", "slack", List.of("slack"), new TokenSet("xoxp-SECRET", null, "Bearer", null, List.of())).grant();
        makeUndecryptable(lost);
        java.util.UUID gone = java.util.UUID.randomUUID();

        var found = grants.findAll(List.of(github.id(), gone, google.id(), lost.id()));

        assertThat(found).containsOnlyKeys(github.id(), google.id(), lost.id());
        assertThat(found.get(github.id()).accessToken()).isEqualTo("gho_SECRET");
        assertThat(found.get(google.id()).refreshToken()).isEqualTo("1//SECRET");
        assertThat(found.get(lost.id()).undecryptable()).isTrue();
        assertThat(found.get(lost.id()).status()).isEqualTo(GrantStatus.reauth_required);
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, lost.id())).isEqualTo("reauth_required");
    }

    private GrantRows rows(AesGcmTokenCipher with) {
        return new GrantRows(jdbc, with, clock, told::add);
    }

    /** The key id inside the access token's ciphertext changed to one no key has, as if its key had been dropped. */
    private void makeUndecryptable(Grant grant) {
        jdbc.update("update grants set access_token = set_byte(access_token, 2, get_byte(access_token, 2) # 1) where id = ?", grant.id());
    }
}
