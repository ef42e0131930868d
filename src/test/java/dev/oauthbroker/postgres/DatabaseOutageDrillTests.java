package dev.oauthbroker.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.cache.GrantCache;
import io.micrometer.core.instrument.MeterRegistry;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import dev.oauthbroker.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill: PostgreSQL stopped and started again on its port under steady traffic. The broker under
 * test is an instance of its own on an embedded server of its own (found through the data folder,
 * as the CLI finds the service's), so the database every other test class shares stays up. While
 * it is down, the valid tokens the instance holds in its cache are still served (docs/token-lifecycle.md "Token
 * cache"); everything else that needs the database is a JSON 503 within 2 s.
 */
@Tag("drills")
@ResourceLock(TestJvm.LOCK)
class DatabaseOutageDrillTests {

    private static final int USERS = 20;
    private static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private volatile String phase = "up";
    private volatile boolean running = true;

    @TempDir
    Path data;

    @Test
    void whileTheDatabaseIsDownCachedValidTokensAreServedOthersGetAJson503WithinTwoSecondsAndTheServiceRecoversByItself() throws Exception {
        EmbeddedPostgresConfiguration postgres = new EmbeddedPostgresConfiguration();
        String dir = data.resolve("pg").toString();
        int pgPort = BrokerInstances.freePort();
        EmbeddedDatabase server = postgres.embeddedDatabase(dir, pgPort, false);
        BrokerInstance broker = BrokerInstances.inDataFolder(Path.of(dir)).with("broker.embedded-postgres.attach-running", "true")
                .providers("http://127.0.0.1:9").start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            int port = broker.port();
            JdbcGrantStore grants = broker.bean(JdbcGrantStore.class);
            for (int i = 0; i < USERS; i++) {
                grants.connect("user-" + i, "atlassian", List.of("jira", "confluence"),
                        new TokenSet("at-SECRET-" + i, "rt-SECRET-" + i, "Bearer", 3600L, List.of()));
            }
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> traffic(port, client));
            }
            GrantCache cache = broker.bean(GrantCache.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> count("up", 200) >= 40 && cache.size() == USERS);

            phase = "stopping";
            server.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> cache.mode() == GrantCache.Mode.OUTAGE);
            phase = "down";
            await().atMost(Duration.ofSeconds(30)).until(() -> count("down", 503) >= 20 && count("down", 200) >= 20);
            HttpResponse<String> callback = get(port, "/oauth/callback?code=c&state=s", null);
            long started = System.nanoTime();
            HttpResponse<String> uncached = get(port, "/internal/users/user-0/tokens/confluence", null);
            long uncachedMs = (System.nanoTime() - started) / 1_000_000;
            started = System.nanoTime();
            HttpResponse<String> forced = get(port, "/internal/users/user-0/tokens/jira?forceRefresh=true", null);
            long forcedMs = (System.nanoTime() - started) / 1_000_000;

            phase = "restarting";
            server = postgres.embeddedDatabase(dir, pgPort, false);
            long back = System.nanoTime();
            phase = "back";
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> greenStreak("back") >= 3 * CLIENTS);
            long recoveredMs = (System.nanoTime() - back) / 1_000_000;
            running = false;
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            printFigures(recoveredMs);
            assertThat(samples).as("never a 500, nor anything but 200 and 503").allMatch(s -> s.status == 200 || s.status == 503);
            assertThat(samples).filteredOn(s -> s.kind.equals("tools")).as("GET /api/tools needs no database").allMatch(s -> s.status == 200);
            List<Sample> down = samples.stream().filter(s -> s.wholly("down") && s.kind.equals("integrations")).toList();
            assertThat(down).isNotEmpty().allSatisfy(s -> {
                assertThat(s.status).isEqualTo(503);
                assertThat(s.error).isEqualTo("service_unavailable");
                assertThat(s.retryAfter).isNotBlank();
                assertThat(s.millis).as("answered within 2 s (with margin)").isLessThan(2500);
            });
            List<Sample> tokensDown = samples.stream().filter(s -> s.wholly("down") && s.kind.equals("token")).toList();
            System.out.printf("  tokens served while the database was down: %d / %d requested (every user's valid jira token was cached)%n",
                    tokensDown.stream().filter(s -> s.status == 200).count(), tokensDown.size());
            assertThat(tokensDown).isNotEmpty().allSatisfy(s -> {
                assertThat(s.status).as("a cached valid token is served from memory").isEqualTo(200);
                assertThat(s.millis).as("with no wait on the pool (its connection-timeout is 1 s)").isLessThan(500);
            });
            for (HttpResponse<String> needsTheDatabase : List.of(uncached, forced)) {
                assertThat(needsTheDatabase.statusCode()).isEqualTo(503);
                assertThat(errorOf(needsTheDatabase.body())).isEqualTo("service_unavailable");
            }
            assertThat(List.of(uncachedMs, forcedMs)).as("an uncached grant, a forced refresh: a 503 within 2 s (with margin)")
                    .allMatch(ms -> ms < 2500);
            await().atMost(Duration.ofSeconds(5)).until(() -> cache.mode() == GrantCache.Mode.LISTENING);
            assertThat(broker.bean(MeterRegistry.class).counter("broker.token.cache.evictions", "cause", "listener_lost").count())
                    .as("what was served through the outage was emptied before the cache was trusted again").isEqualTo(USERS);
            assertThat(callback.statusCode()).isEqualTo(302);
            assertThat(callback.headers().firstValue("Location").orElseThrow()).contains("success=false", "error=service_unavailable");
            for (int i = 0; i < USERS; i++) {
                HttpResponse<String> token = get(port, "/internal/users/user-" + i + "/tokens/jira", null);
                assertThat(token.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(token.body()).get("accessToken").asText()).as("nothing lost or corrupted").isEqualTo("at-SECRET-" + i);
            }
        } finally {
            running = false;
            clients.shutdownNow();
            broker.close();
            server.close();
        }
    }

    private void traffic(int port, int client) {
        for (int n = client; running; n++) {
            String user = "user-" + (n % USERS);
            String kind = List.of("tools", "integrations", "token").get(n % 3);
            String path = switch (kind) {
                case "tools" -> "/api/tools";
                case "integrations" -> "/api/integrations";
                default -> "/internal/users/" + user + "/tokens/jira";
            };
            String startedIn = phase;
            long started = System.nanoTime();
            HttpResponse<String> response = get(port, path, kind.equals("integrations") ? TestUsers.jwt(user) : null);
            long millis = (System.nanoTime() - started) / 1_000_000;
            String error = response.statusCode() == 200 ? null : errorOf(response.body());
            samples.add(new Sample(startedIn, kind, response.statusCode(), millis, error,
                    response.headers().firstValue("Retry-After").orElse(null), phase));
        }
    }

    private HttpResponse<String> get(int port, String path, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(15))
                .header("X-Broker-Key", BrokerIntegrationTest.SERVICE_KEY).GET();
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            return error == null ? "no error field" : error.asText();
        } catch (Exception e) {
            return "not JSON";
        }
    }

    private long count(String inPhase, int status) {
        return samples.stream().filter(s -> s.phase.equals(inPhase) && s.status == status).count();
    }

    /** Consecutive 200s of the database-backed requests most recently finished in {@code inPhase}. */
    private int greenStreak(String inPhase) {
        List<Sample> recent = samples.stream().filter(s -> s.phase.equals(inPhase) && !s.kind.equals("tools")).toList();
        int streak = 0;
        for (int i = recent.size() - 1; i >= 0 && recent.get(i).status == 200; i--) {
            streak++;
        }
        return streak;
    }

    private void printFigures(long recoveredMs) {
        Map<String, String> byPhase = new TreeMap<>(samples.stream().collect(Collectors.groupingBy(s -> s.phase,
                Collectors.collectingAndThen(Collectors.toList(), list -> list.stream()
                        .collect(Collectors.groupingBy(s -> s.status, TreeMap::new, Collectors.counting())) + ", max "
                        + list.stream().mapToLong(s -> s.millis).max().orElse(0) + " ms"))));
        System.out.printf("database outage drill (%d clients; statuses per phase, max latency):%n", CLIENTS);
        List.of("up", "stopping", "down", "restarting", "back").forEach(p -> System.out.printf("  %-10s %s%n", p, byPhase.getOrDefault(p, "no request")));
        System.out.printf("  all green %d ms after the database was back%n", recoveredMs);
    }

    /** {@code phase} when it was sent, {@code ended} when its answer came (a request sent while down may end after the restart). */
    private record Sample(String phase, String kind, int status, long millis, String error, String retryAfter, String ended) {

        boolean wholly(String inPhase) {
            return phase.equals(inPhase) && ended.equals(inPhase);
        }
    }
}
