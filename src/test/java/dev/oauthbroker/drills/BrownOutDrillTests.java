package dev.oauthbroker.drills;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drill: one provider browns out — every refresh answers 503 with {@code Retry-After} — while 120
 * of its users' tokens are due and everyone else goes on working. Requests that do not need that
 * provider must not notice; its due callers get our JSON 503 within the deadline; the breaker
 * bounds what the provider sees; no grant is taken for dead; after recovery everyone is served.
 * Test settings: deadline 3 s, breaker threshold 3, open 2 s, 8 refresh threads per provider.
 */
@Tag("drills")
class BrownOutDrillTests extends BrokerIntegrationTest {

    static final int DUE = 120;

    @Test
    void oneProviderBrowningOutCostsTheOthersNothing() throws Exception {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        List<Grant> due = IntStream.range(0, DUE)
                .mapToObj(i -> connected("g" + i, "google", List.of("google_workspace"), "ya29.SECRET-" + i, "1//SECRET-" + i, 3600L)).toList();
        for (int i = 0; i < 20; i++) {
            connected("a" + i, "atlassian", List.of("jira"), "at-SECRET-" + i, "rt-SECRET-" + i, 3600L);
        }

        // baseline: the same traffic while every provider is well and no google token is due
        List<Result> baseline = run(traffic(due));
        // brown-out: every google refresh answers 503 Retry-After: 1, and every google token is due;
        // five atlassian tokens are due too, to show its refreshes go on
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        due.forEach(g -> expiresIn(g, -10));
        IntStream.range(0, 5).forEach(i -> expiresIn(grantStore.findByUserTool("a" + i, "jira").orElseThrow(), -10));
        List<Result> brownOut = run(traffic(due));

        List<Result> othersBefore = baseline.stream().filter(r -> r.kind.startsWith("other")).toList();
        List<Result> others = brownOut.stream().filter(r -> r.kind.startsWith("other")).toList();
        List<Result> googles = brownOut.stream().filter(r -> r.kind.equals("google due")).toList();
        int googleCalls = providers.findAll(postRequestedFor(urlPathEqualTo("/google/token"))).size();
        System.out.printf("brown-out drill: %d google callers, %d other requests per phase, 32 clients%n", googles.size(), others.size());
        System.out.printf("  other requests, baseline:  statuses %s, p50 %d ms, p99 %d ms, max %d ms%n", statuses(othersBefore),
                percentile(othersBefore, 50), percentile(othersBefore, 99), percentile(othersBefore, 100));
        System.out.printf("  other requests, brown-out: statuses %s, p50 %d ms, p99 %d ms, max %d ms (p99 %.2fx baseline)%n", statuses(others),
                percentile(others, 50), percentile(others, 99), percentile(others, 100),
                (double) percentile(others, 99) / Math.max(1, percentile(othersBefore, 99)));
        System.out.printf("  google due callers:        statuses %s, p50 %d ms, p99 %d ms, max %d ms (deadline 3000 ms)%n", statuses(googles),
                percentile(googles, 50), percentile(googles, 99), percentile(googles, 100));
        System.out.printf("  google's token endpoint saw %d calls for %d due grants (retries without a breaker: up to %d)%n",
                googleCalls, DUE, DUE * 3);

        assertThat(others).allSatisfy(r -> assertThat(r.status).as(r.kind + " " + r.body).isEqualTo(200));
        assertThat(googles).allSatisfy(r -> {
            assertThat(r.status).isEqualTo(503);
            assertThat(r.body).contains("\"error\":\"provider_unavailable\"");
            assertThat(r.retryAfter).as("Retry-After").isNotNull();
        });
        assertThat(percentile(googles, 100)).as("slowest due caller, ms: the deadline (3000) plus the answer").isLessThan(4000);
        assertThat(googleCalls).as("calls the breaker let through").isLessThanOrEqualTo(8 * 3);
        assertThat(jdbc.queryForObject("select count(*) from grants where status = 'reauth_required'", Integer.class))
                .as("a brown-out kills no grant").isZero();

        // recovery: the provider answers again; after the open period one probe closes the breaker
        stubToken("/google/token", 200, "google/refresh-ok.json");
        long recoveryStarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> internalToken("g0", "google_workspace", false).statusCode() == 200);
        long recoveredMs = (System.nanoTime() - recoveryStarted) / 1_000_000;
        List<Result> after = run(due.stream().map(g -> timed("google due", () -> internalToken(g.userId(), "google_workspace", false))).toList());
        System.out.printf("  recovery: first google token served %d ms after the provider came back; then %s%n", recoveredMs, statuses(after));
        assertThat(after).allSatisfy(r -> assertThat(r.status).isEqualTo(200));
    }

    private List<Callable<Result>> traffic(List<Grant> google) {
        List<Callable<Result>> work = new ArrayList<>();
        for (Grant grant : google) {
            work.add(timed("google due", () -> internalToken(grant.userId(), "google_workspace", false)));
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 20; i++) {
                String user = "a" + i;
                work.add(timed("other: atlassian token", () -> internalToken(user, "jira", false)));
            }
            String jwt = TestUsers.jwt("a" + round);
            work.add(timed("other: /api/tools", () -> call("GET", "/api/tools", null)));
            work.add(timed("other: /api/integrations", () -> call("GET", "/api/integrations", jwt)));
        }
        Collections.shuffle(work);
        return work;
    }

    private static List<Result> run(List<Callable<Result>> work) throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            return clients.invokeAll(work).stream().map(BrownOutDrillTests::get).toList();
        } finally {
            clients.shutdownNow();
        }
    }

    record Result(String kind, int status, long ms, String body, String retryAfter) {}

    private static Callable<Result> timed(String kind, Supplier<HttpResponse<String>> request) {
        return () -> {
            long started = System.nanoTime();
            HttpResponse<String> response = request.get();
            return new Result(kind, response.statusCode(), (System.nanoTime() - started) / 1_000_000, response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        };
    }

    private static Map<Integer, Long> statuses(List<Result> results) {
        Map<Integer, Long> counts = new TreeMap<>();
        results.forEach(r -> counts.merge(r.status, 1L, Long::sum));
        return counts;
    }

    private static long percentile(List<Result> results, int p) {
        List<Long> sorted = results.stream().map(Result::ms).sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
