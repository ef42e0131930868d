package dev.oauthbroker.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantRows;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The token cache on two instances sharing one PostgreSQL: the shared test context (A) and a second
 * instance (B, the one {@link BrokerInstances} shares with the other classes asking for it). Every change made on one instance, or by hand in SQL, reaches the other's
 * cache through the {@code grant_changed} notification.
 */
@Tag("extra-contexts")
class TokenCacheAcrossInstancesTests extends BrokerIntegrationTest {

    /** docs/token-lifecycle.md "Token cache": a change on one instance is answered by every other within this, at p99 (measured below it). */
    static final Duration DOCUMENTED_BOUND = Duration.ofSeconds(1);

    private BrokerInstance instanceB;

    @Autowired
    DataSource dataSource;

    @Autowired
    GrantCache cacheA;

    @Autowired
    MeterRegistry metersA;

    @Autowired
    AesGcmTokenCipher cipher;

    @BeforeEach
    void startSecondInstance() {
        instanceB = BrokerInstances.onSharedDatabase(dataSource).shared();
        await().atMost(Duration.ofSeconds(10)).until(() -> cacheB().mode() == GrantCache.Mode.LISTENING
                && cacheA.mode() == GrantCache.Mode.LISTENING);
    }

    @Test
    void aDisconnectOnAIsA404OnBWithinTheDocumentedBound() {
        List<Long> evicted = new ArrayList<>();
        List<Long> answered = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String user = "dc-" + i;
            connected(user, "github", List.of("github"), "gho_SECRET-" + i, null, null);
            seenEverywhere();
            assertThat(tokenOn(portB(), user, "github").statusCode()).isEqualTo(200);
            assertThat(cacheB().peek(user, "github")).as("B's cache is warm").isPresent();

            grantStore.detach(user, "github");
            long committed = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> cacheB().peek(user, "github").isEmpty());
            evicted.add(System.nanoTime() - committed);
            assertThat(tokenOn(portB(), user, "github").statusCode()).isEqualTo(404);
            answered.add(System.nanoTime() - committed);
        }
        System.out.printf("token cache, disconnect on A -> B over 100 disconnects: evicted p50 %s p99 %s max %s;"
                + " B's 404 answered p50 %s p99 %s max %s%n", ms(evicted, 49), ms(evicted, 98), ms(evicted, 99),
                ms(answered, 49), ms(answered, 98), ms(answered, 99));
        answered.sort(null);
        assertThat(Duration.ofNanos(answered.get(98))).isLessThan(DOCUMENTED_BOUND);
    }

    private static String ms(List<Long> nanos, int index) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return String.format("%.1f ms", sorted.get(index) / 1e6);
    }

    @Test
    void aRefreshOnAIsTheTokenBServes() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", 3600L);
        seenEverywhere();
        assertThat(json(tokenOn(portB(), "u1", "jira")).get("accessToken").asText()).isEqualTo("at-SECRET-old");
        assertThat(json(internalToken("u1", "jira", false)).get("accessToken").asText()).isEqualTo("at-SECRET-old");

        HttpResponse<String> forced = internalToken("u1", "jira", true);
        assertThat(json(forced).get("accessToken").asText()).as("forced: past A's own cache").isEqualTo("eyJ-SECRET-atlassian-access");

        assertThat(json(internalToken("u1", "confluence", false)).get("accessToken").asText()).as("A's own write evicts at once")
                .isEqualTo("eyJ-SECRET-atlassian-access");
        await().atMost(DOCUMENTED_BOUND.multipliedBy(4)).pollInterval(Duration.ofMillis(1))
                .until(() -> json(tokenOn(portB(), "u1", "jira")).get("accessToken").asText().equals("eyJ-SECRET-atlassian-access"));
        assertThat(json(tokenOn(portB(), "u1", "confluence")).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atlassian-access");
    }

    @Test
    void aCachedTokenThatFallsDueIsRefreshedThroughPostgreSQLNotServedFromMemory() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        // a 4 s token is due half-way through its life (shorter than twice the refresh buffer)
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-short", "rt-SECRET-short", 4L);
        seenEverywhere();
        assertThat(json(internalToken("u1", "jira", false)).get("accessToken").asText()).isEqualTo("at-SECRET-short");
        assertThat(cacheA.peek("u1", "jira")).as("valid and not due: kept").isPresent();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> json(internalToken("u1", "jira", false)).get("accessToken").asText().equals("eyJ-SECRET-atlassian-access"));
        // retried on a slow machine (a read timeout) perhaps, but refreshed once, through the store
        providers.verify(moreThanOrExactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(jdbc.queryForObject("select count(*) from grant_events where user_id = 'u1' and event = 'refreshed'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void aHandWrittenUpdateEvictsOnEveryInstance() {
        Grant grant = connected("u1", "github", List.of("github"), "gho_SECRET-1", null, null);
        seenEverywhere();
        assertThat(tokenOn(port, "u1", "github").statusCode()).isEqualTo(200);
        assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(200);
        assertThat(cacheA.peek("u1", "github")).isPresent();

        jdbc.update("update grants set token_type = 'token' where id = ?", grant.id());

        grantChangesDelivered(grantChanges);
        grantChangesDelivered(instanceB.bean(GrantChangeListener.class));
        assertThat(cacheA.peek("u1", "github")).isEmpty();
        assertThat(cacheB().peek("u1", "github")).isEmpty();
        assertThat(json(tokenOn(portB(), "u1", "github")).get("tokenType").asText()).isEqualTo("token");
    }

    @Test
    void aSecondRequestIsAnsweredFromMemoryWithTheGrantTablesLockedAndTheCacheHoldsOnlyCiphertext() throws Exception {
        Grant grant = connected("u1", "github", List.of("github"), "gho_SECRET-memory", null, null);
        seenEverywhere();
        double hits = metersA.counter("broker.token.cache.hits").count();
        assertThat(tokenOn(port, "u1", "github").statusCode()).isEqualTo(200);

        CachedGrant held = cacheA.peek("u1", "github").orElseThrow();
        assertThat(new String(held.sealedAccessToken(), StandardCharsets.ISO_8859_1)).doesNotContain("SECRET");
        assertThat(held.grant().accessToken()).isNull();
        assertThat(held.grant().refreshToken()).isNull();
        assertThat(cipher.decrypt(held.sealedAccessToken(), GrantRows.aad(grant.id(), "access_token"))).isEqualTo("gho_SECRET-memory");

        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                // any read of a grant now waits for this transaction
                lock.execute("lock table grants, grant_tools in access exclusive mode");
            }
            long started = System.nanoTime();
            HttpResponse<String> second = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/u1/tokens/github"))
                    .header("X-Broker-Key", SERVICE_KEY).timeout(Duration.ofSeconds(2)).GET().build());
            long millis = (System.nanoTime() - started) / 1_000_000;
            locker.rollback();
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(json(second).get("accessToken").asText()).isEqualTo("gho_SECRET-memory");
            assertThat(millis).isLessThan(1000);
        }
        assertThat(metersA.counter("broker.token.cache.hits").count()).isEqualTo(hits + 1);
    }

    @Test
    void killingTheListenerEmptiesTheCacheAndItListensAgain() {
        connected("u1", "github", List.of("github"), "gho_SECRET-1", null, null);
        seenEverywhere();
        assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(200);
        assertThat(cacheB().peek("u1", "github")).isPresent();
        GrantChangeListener listenerB = instanceB.bean(GrantChangeListener.class);
        int pid = listenerB.backendPid();
        double lost = instanceB.bean(MeterRegistry.class).counter("broker.token.cache.evictions", "cause", "listener_lost").count();

        assertThat(jdbc.queryForObject("select pg_terminate_backend(?)", Boolean.class, pid)).isTrue();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> listenerB.backendPid() != 0 && listenerB.backendPid() != pid && cacheB().mode() == GrantCache.Mode.LISTENING);
        assertThat(cacheB().peek("u1", "github")).as("emptied when it listened again").isEmpty();
        assertThat(instanceB.bean(MeterRegistry.class).counter("broker.token.cache.evictions", "cause", "listener_lost").count())
                .isEqualTo(lost + 1);
        // listening again: a change is seen again
        assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(200);
        assertThat(cacheB().peek("u1", "github")).isPresent();
        grantStore.detach("u1", "github");
        await().atMost(DOCUMENTED_BOUND.multipliedBy(4)).pollInterval(Duration.ofMillis(1))
                .until(() -> cacheB().peek("u1", "github").isEmpty());
        assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(404);
    }

    @Test
    void whileNotListeningTheCacheIsBypassed() {
        connected("u1", "github", List.of("github"), "gho_SECRET-1", null, null);
        seenEverywhere();
        assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(200);
        GrantCache cacheB = cacheB();
        cacheB.suspended();
        try {
            double misses = instanceB.bean(MeterRegistry.class).counter("broker.token.cache.misses").count();
            assertThat(tokenOn(portB(), "u1", "github").statusCode()).isEqualTo(200);
            assertThat(instanceB.bean(MeterRegistry.class).counter("broker.token.cache.misses").count()).isEqualTo(misses + 1);
            assertThat(instanceB.bean(MeterRegistry.class).get("broker.token.cache.listening").gauge().value()).isZero();

            HttpResponse<String> readiness = send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + instanceB.managementPort() + "/actuator/health/readiness")).GET().build());
            assertThat(readiness.statusCode()).as("not listening is a detail, not a readiness failure").isEqualTo(200);
            assertThat(json(readiness).get("status").asText()).isEqualTo("UP");
            assertThat(json(readiness).get("components").get("tokenCache").get("status").asText()).isEqualTo("BYPASSED");
        } finally {
            cacheB.listening();
        }
    }

    /**
     * The connect's own notifications have reached both instances: one arriving after a first
     * request would drop what that request put in the cache (as it should), and the test would
     * find the cache cold.
     */
    private void seenEverywhere() {
        grantChangesDelivered(grantChanges);
        grantChangesDelivered(instanceB.bean(GrantChangeListener.class));
    }

    private GrantCache cacheB() {
        return instanceB.bean(GrantCache.class);
    }

    private int portB() {
        return instanceB.port();
    }

    private static HttpResponse<String> tokenOn(int port, String user, String tool) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/internal/users/" + user + "/tokens/" + tool))
                .header("X-Broker-Key", SERVICE_KEY).timeout(Duration.ofSeconds(10)).GET().build());
    }
}
