package dev.oauthbroker.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestProviders;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import dev.oauthbroker.TestJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness through one instance's life, on a PostgreSQL of its own that the test stops and starts:
 * never ready while the routes do not serve, down while a route is stopped or the database is
 * unreachable (liveness stays up), and down from the first moment of shutdown while a refresh
 * still running is drained — it finishes, stores its tokens and gives its lease back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("extra-contexts")
@ResourceLock(TestJvm.LOCK)
class ReadinessLifecycleTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROVIDER_DELAY_MS = 1500;

    private final WireMockServer providers = TestProviders.server();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** At boot: (readiness status, /api/tools status) sampled in that order; -1 = connection refused. */
    private final List<int[]> bootSamples = new CopyOnWriteArrayList<>();

    @TempDir
    static Path data;

    private Path dir;
    private int pgPort;
    private int port;
    private int managementPort;
    private EmbeddedPostgres database;
    private BrokerInstance broker;

    @BeforeAll
    void start() throws Exception {
        dir = data.resolve("pg");
        pgPort = BrokerInstances.freePort();
        port = BrokerInstances.freePort();
        managementPort = BrokerInstances.freePort();
        database = database();
        CompletableFuture<Void> sampling = CompletableFuture.runAsync(this::sampleUntilReady);
        broker = BrokerInstances.onDatabase(jdbcUrl()).ports(port, managementPort)
                // a caller gives up before its refresh ends, so that refresh is still running at shutdown
                .with("broker.request-deadline", "500ms").with("broker.http.read-timeout", "4000").start();
        sampling.get();
    }

    @AfterAll
    void stop() throws IOException {
        if (broker != null) {
            broker.close();
        }
        database.close();
    }

    @Test
    @Order(1)
    void atBootReadinessIsNeverUpBeforeTheRoutesServe() {
        assertThat(bootSamples).as("readiness sampled while the instance started").isNotEmpty();
        assertThat(bootSamples).filteredOn(sample -> sample[0] == 200)
                .as("whenever readiness said UP, /api/tools (asked right after) answered 200")
                .isNotEmpty().allMatch(sample -> sample[1] == 200);
    }

    @Test
    @Order(2)
    void readinessIsDownWhileARouteIsStopped() throws Exception {
        CamelContext camel = broker.bean(CamelContext.class);
        camel.getRouteController().stopRoute("integrations-tools");
        try {
            assertThat(status("/actuator/health/readiness")).isEqualTo(503);
            assertThat(component("camelReadinessState")).isEqualTo("OUT_OF_SERVICE");
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        } finally {
            camel.getRouteController().startRoute("integrations-tools");
        }
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);
    }

    @Test
    @Order(3)
    void whileTheDatabaseIsDownHealthSaysSoButReadinessAndLivenessStayUp() throws Exception {
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);

        database.close();
        try {
            assertThat(status("/actuator/health")).as("the operator's view").isEqualTo(503);
            assertThat(component("/actuator/health", "db")).isEqualTo("DOWN");
            assertThat(component("/actuator/health", "migrations")).isEqualTo("DOWN");
            // every instance shares the database: out of rotation, none could serve what it holds in memory
            assertThat(status("/actuator/health/readiness")).as("readiness leaves the shared database out").isEqualTo(200);
            assertThat(component("tokenCache")).isNotEqualTo("UP");
            assertThat(status("/actuator/health/liveness")).as("a restart would not bring the database back").isEqualTo(200);
        } finally {
            database = database();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> status("/actuator/health") == 200);
    }

    @Test
    @Order(4)
    void atShutdownReadinessGoesDownAndARunningRefreshFinishesAndGivesItsLeaseBack() throws Exception {
        Grant grant = broker.bean(JdbcGrantStore.class).connect("ada", "google", List.of("google_workspace"),
                new TokenSet("ya29.SECRET-old", "1//SECRET-refresh", "Bearer", 3600L, List.of())).grant();
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBodyFile("google/refresh-ok.json")
                .withFixedDelay(PROVIDER_DELAY_MS)));
        HttpResponse<String> caller = get(port, "/internal/users/ada/tokens/google_workspace?forceRefresh=true");
        assertThat(caller.statusCode()).as("the caller had its answer at its 500 ms deadline").isEqualTo(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> providers.findAll(postRequestedFor(urlPathEqualTo("/google/token"))).size() == 1);

        long closing = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(broker::close);
        List<Integer> duringShutdown = new CopyOnWriteArrayList<>();
        while (!shutdown.isDone()) {
            duringShutdown.add(status("/actuator/health/readiness"));
            pause();
        }
        shutdown.get();
        long shutdownMs = (System.nanoTime() - closing) / 1_000_000;
        broker = null;

        System.out.printf("shutdown: %d ms with a refresh running (provider answering after %d ms); readiness during it: %s%n",
                shutdownMs, PROVIDER_DELAY_MS, duringShutdown.stream().distinct().toList());
        assertThat(duringShutdown).as("never ready once shutdown began").isNotEmpty().doesNotContain(200);
        try (Connection db = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("select token_version, last_refreshed_at, refresh_lease_owner from grants where id = '"
                     + grant.id() + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong("token_version")).as("the refresh stored its tokens before the instance stopped")
                    .isEqualTo(grant.tokenVersion() + 1);
            assertThat(row.getTimestamp("last_refreshed_at")).isNotNull();
            assertThat(row.getString("refresh_lease_owner")).as("lease given back").isNull();
        }
        providers.verify(1, postRequestedFor(urlPathEqualTo("/google/token")));
    }

    /** An external PostgreSQL, as in production: its data kept across a stop and a start on the same port. */
    private EmbeddedPostgres database() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + pgPort + "/postgres";
    }

    private void sampleUntilReady() {
        while (true) {
            int readiness = status(managementPort, "/actuator/health/readiness");
            int tools = status(port, "/api/tools");
            bootSamples.add(new int[] {readiness, tools});
            if (readiness == 200) {
                return;
            }
            pause();
        }
    }

    private int status(String path) {
        return status(managementPort, path);
    }

    /** The status of a GET, -1 when the connection is refused. */
    private int status(int toPort, String path) {
        HttpResponse<String> answer = get(toPort, path);
        return answer == null ? -1 : answer.statusCode();
    }

    private String component(String name) throws IOException {
        return component("/actuator/health/readiness", name);
    }

    private String component(String path, String name) throws IOException {
        return JSON.readTree(get(managementPort, path).body()).at("/components/" + name + "/status").asText();
    }

    /** A GET with the service key; null when the connection is refused. */
    private HttpResponse<String> get(int toPort, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + toPort + path)).timeout(Duration.ofSeconds(10))
                .header("X-Broker-Key", BrokerIntegrationTest.SERVICE_KEY).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Readiness is sampled every 50 ms, as a load balancer would probe it. */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
