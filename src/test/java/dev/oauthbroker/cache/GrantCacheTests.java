package dev.oauthbroker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenKey;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantRows;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.InMemoryGrants;
import dev.oauthbroker.metrics.TokenCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The cache's rules without Spring or a database: what is kept, when it is trusted, what evicts it. */
class GrantCacheTests {

    private static final Predicate<Grant> ACTIVE = grant -> grant.status() == GrantStatus.active;
    private final AesGcmTokenCipher cipher = new AesGcmTokenCipher(
            TokenKey.fromBase64("TEST", Base64.getEncoder().encodeToString("k".repeat(32).getBytes())), List.of());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GrantCache cache = new GrantCache(3, cipher, List.of("github", "jira", "confluence"), new TokenCacheMetrics(registry));
    private final Grant grant = InMemoryGrants.active("github", Duration.ofHours(1), true);

    @Test
    void whileListeningAFreshGrantIsKeptSealedAndServedDecrypted() {
        cache.listening();

        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);

        CachedGrant held = cache.peek("u1", "github").orElseThrow();
        assertThat(held.grant().accessToken()).isNull();
        assertThat(held.grant().refreshToken()).as("a refresh token is never kept").isNull();
        assertThat(new String(held.sealedAccessToken(), StandardCharsets.ISO_8859_1)).doesNotContain("at-SECRET");
        assertThat(cipher.decrypt(held.sealedAccessToken(), GrantRows.aad(grant.id(), "access_token"))).isEqualTo("at-SECRET");
        assertThat(cache.cached("u1", "github", ACTIVE)).get().extracting(Grant::accessToken).isEqualTo("at-SECRET");
        assertThat(registry.counter("broker.token.cache.hits").count()).isEqualTo(1);
    }

    @Test
    void aGrantTheRuleRefusesIsNeitherKeptNorServed() {
        cache.listening();
        cache.load("u1", "github", () -> Optional.of(grant), g -> false);
        assertThat(cache.peek("u1", "github")).isEmpty();

        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);
        assertThat(cache.cached("u1", "github", g -> false)).as("due by now: PostgreSQL answers").isEmpty();
        assertThat(registry.counter("broker.token.cache.misses").count()).isEqualTo(1);
    }

    @Test
    void beforeListeningNothingIsKeptOrServed() {
        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);

        assertThat(cache.peek("u1", "github")).isEmpty();
        assertThat(cache.cached("u1", "github", ACTIVE)).isEmpty();
    }

    @Test
    void aChangeArrivingWhileTheGrantIsReadDropsWhatWasRead() {
        cache.listening();

        cache.load("u1", "github", () -> {
            cache.notified("u1"); // committed and notified between the read and the put
            return Optional.of(grant);
        }, ACTIVE);

        assertThat(cache.peek("u1", "github")).isEmpty();
    }

    @Test
    void aNotificationEvictsEveryToolOfItsUserAndStarEvictsAll() {
        cache.listening();
        cache.load("u1", "jira", () -> Optional.of(grant), ACTIVE);
        cache.load("u1", "confluence", () -> Optional.of(grant), ACTIVE);
        cache.load("u2", "jira", () -> Optional.of(grant), ACTIVE);

        cache.notified("u1");
        assertThat(cache.peek("u1", "jira")).isEmpty();
        assertThat(cache.peek("u1", "confluence")).isEmpty();
        assertThat(cache.peek("u2", "jira")).isPresent();

        cache.notified("*");
        assertThat(cache.size()).isZero();
        assertThat(registry.counter("broker.token.cache.evictions", "cause", "notification").count()).isEqualTo(3);
    }

    @Test
    void theSizeBoundEvictsAndCountsIt() {
        cache.listening();
        for (int i = 0; i < 5; i++) {
            cache.load("user-" + i, "github", () -> Optional.of(grant), ACTIVE);
        }

        assertThat(cache.size()).isEqualTo(3);
        assertThat(registry.counter("broker.token.cache.evictions", "cause", "size").count()).isEqualTo(2);
    }

    @Test
    void throughAnOutageWhatWasHeldIsServedButNothingNewIsKeptUntilTheDatabaseAnswers() {
        cache.listening();
        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);

        cache.suspended();
        assertThat(cache.cached("u1", "github", ACTIVE)).as("while it is unknown whether the database is there").isEmpty();
        cache.outage();
        assertThat(cache.cached("u1", "github", ACTIVE)).isPresent();
        cache.load("u2", "github", () -> Optional.of(grant), ACTIVE);
        assertThat(cache.peek("u2", "github")).isEmpty();

        cache.load("u3", "github", () -> Optional.of(grant), ACTIVE); // the database answered this instance again
        assertThat(cache.mode()).isEqualTo(GrantCache.Mode.BYPASS);
        assertThat(cache.size()).isZero();
        assertThat(registry.counter("broker.token.cache.evictions", "cause", "listener_lost").count()).isEqualTo(1);
    }

    @Test
    void losingTheListenerWhileTheDatabaseIsThereEmptiesTheCacheAndListeningAgainEmptiesItToo() {
        cache.listening();
        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);
        cache.suspended();
        cache.lost();
        assertThat(cache.size()).isZero();
        assertThat(cache.mode()).isEqualTo(GrantCache.Mode.BYPASS);

        cache.outage();
        cache.load("u1", "github", () -> Optional.of(grant), ACTIVE);
        cache.listening();
        assertThat(cache.mode()).isEqualTo(GrantCache.Mode.LISTENING);
        assertThat(registry.get("broker.token.cache.listening").gauge().value()).isEqualTo(1);
    }

    @Test
    void sizeZeroTurnsTheCacheOff() {
        GrantCache off = new GrantCache(0, cipher, List.of("github"), new TokenCacheMetrics(new SimpleMeterRegistry()));
        off.listening();
        off.load("u1", "github", () -> Optional.of(grant), ACTIVE);

        assertThat(off.enabled()).isFalse();
        assertThat(off.cached("u1", "github", ACTIVE)).isEmpty();
    }
}
