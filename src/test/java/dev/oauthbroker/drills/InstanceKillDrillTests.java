package dev.oauthbroker.drills;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerProcess;
import dev.oauthbroker.TestProviders;
import dev.oauthbroker.grant.Grant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Drill: two instances on one database serve refresh storms against a strictly rotating provider
 * (each refresh token works once); one of them, a separate JVM, is killed with SIGKILL at a random
 * moment of each round and started again. Afterwards every grant must be usable or
 * {@code reauth_required} with a reason — none broken, none stuck. Rounds: {@code -Ddrill.rounds}
 * (default 4, about 10 s each on this machine with the other test JVMs busy; docs/operations.md gives a run of 20).
 */
@Tag("drills")
class InstanceKillDrillTests extends BrokerIntegrationTest {

    static final int GRANTS = 10;
    static final int REQUESTS_PER_ROUND = 120;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Autowired
    DataSource dataSource;

    @Test
    void killingAnInstanceMidStormLosesNoGrantSilently() throws Exception {
        int rounds = Integer.getInteger("drill.rounds", 4);
        List<Grant> grants = IntStream.range(0, GRANTS)
                .mapToObj(i -> connected("k" + i, "atlassian", List.of("jira"), "at-SECRET-k" + i, "rt-SECRET-k" + i, -10L)).toList();
        TestProviders.ROTATING.reset(IntStream.range(0, GRANTS).mapToObj(i -> "rt-SECRET-k" + i).toArray(String[]::new));
        providers.stubFor(post(urlPathEqualTo("/atlassian/token"))
                .willReturn(aResponse().withTransformers("rotating-refresh-tokens").withFixedDelay(60)));
        Random random = new Random(42);
        Map<String, Integer> statuses = new TreeMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(24);
        BrokerProcess b = startInstance();
        try {
            for (int round = 0; round < rounds; round++) {
                grants.forEach(g -> expiresIn(g, -10));
                String bUrl = b.baseUrl();
                List<Callable<String>> storm = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                    String user = "k" + (i / 2 % GRANTS);
                    String base = i % 2 == 0 ? baseUrl() : bUrl;
                    storm.add(() -> outcome(base, user));
                }
                List<Future<String>> answers = new ArrayList<>();
                storm.forEach(call -> answers.add(clients.submit(call)));
                // at a random moment of the round, while both instances refresh the same grants
                Thread.sleep(20 + random.nextInt(200));
                b.kill();
                for (Future<String> answer : answers) {
                    statuses.merge(answer.get(), 1, Integer::sum);
                }
                b = startInstance();
            }
        } finally {
            clients.shutdownNow();
            b.kill();
        }

        // afterwards: a killed refresh's lease expires; every grant is then usable or needs its user, with a reason
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                grants.stream().allMatch(g -> internalToken(g.userId(), "jira", false).statusCode() != 503));
        Map<String, Integer> ends = new TreeMap<>();
        for (Grant grant : grants) {
            HttpResponse<String> token = internalToken(grant.userId(), "jira", false);
            Grant stored = grantStore.find(grant.id()).orElseThrow();
            String end = token.statusCode() == 200 ? "usable" : "reauth_required (" + stored.lastError() + ")";
            ends.merge(end, 1, Integer::sum);
            assertThat(token.statusCode()).as(grant.userId() + " " + token.body()).isIn(200, 409);
            if (token.statusCode() == 409) {
                assertThat(stored.status().name()).isEqualTo("reauth_required");
                assertThat(stored.lastError()).as("a reason").isNotBlank();
            }
        }
        System.out.printf("instance-kill drill: %d rounds of %d requests over 2 instances, %d grants, one instance SIGKILLed at a "
                + "random moment of each round%n", rounds, REQUESTS_PER_ROUND, GRANTS);
        System.out.printf("  answers during the storms: %s%n", statuses);
        System.out.printf("  refresh tokens issued %d, spent tokens replayed %d%n", TestProviders.ROTATING.issued(), TestProviders.ROTATING.reuses());
        System.out.printf("  every grant afterwards: %s%n", ends);
        assertThat(statuses.keySet()).as("our own answers, or the killed instance's connection refused").allMatch(s ->
                s.equals("200") || s.equals("409") || s.equals("503") || s.equals("killed"));
    }

    private static String outcome(String base, String user) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/internal/users/" + user + "/tokens/jira"))
                    .header("X-Broker-Key", SERVICE_KEY).timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return String.valueOf(response.statusCode());
        } catch (IOException e) {
            return "killed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The second instance: the service's own build in a JVM of its own (to be killed), on the shared test database. */
    private BrokerProcess startInstance() {
        BrokerProcess instance = BrokerInstances.onSharedDatabase(dataSource)
                .with("logging.level.root", "WARN").with("logging.level.dev.oauthbroker", "WARN")
                .process().readyWithin(Duration.ofSeconds(90)).start();
        // warm: a cold JVM would be killed before it got to the refreshes the drill is about
        for (int i = 0; i < 20; i++) {
            outcome(instance.baseUrl(), "warm-up-nobody");
        }
        return instance;
    }
}
