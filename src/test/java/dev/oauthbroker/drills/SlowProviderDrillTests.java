package dev.oauthbroker.drills;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Drill: a provider answers every refresh, slowly (1 s), while 96 of its users' tokens are due —
 * more callers than there are request threads (64). Waiting for a refresh must hold no request
 * thread: they stay free for everyone else, and each caller still answers by its deadline.
 */
@Tag("drills")
class SlowProviderDrillTests extends BrokerIntegrationTest {

    static final int DUE = 96;

    @Autowired
    @Qualifier("applicationTaskExecutor")
    ThreadPoolTaskExecutor requestThreads;

    @Test
    void callersWaitingForASlowProviderHoldNoRequestThread() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(canned(200, "google/refresh-ok.json").withFixedDelay(1000)));
        List<Grant> due = IntStream.range(0, DUE)
                .mapToObj(i -> connected("s" + i, "google", List.of("google_workspace"), "ya29.SECRET-" + i, "1//SECRET-" + i, -10L)).toList();
        connected("fresh", "atlassian", List.of("jira"), "at-SECRET-fresh", "rt-SECRET-fresh", 3600L);

        ExecutorService clients = Executors.newFixedThreadPool(DUE);
        List<Future<HttpResponse<String>>> waiting = new ArrayList<>();
        List<Long> othersMs = new ArrayList<>();
        int busiest = 0;
        try {
            due.forEach(g -> waiting.add(clients.submit(() -> internalToken(g.userId(), "google_workspace", false))));
            await().atMost(Duration.ofSeconds(10)).until(() -> providers.findAll(postRequestedFor(urlPathEqualTo("/google/token"))).size() >= 3);
            for (int i = 0; i < 20; i++) {
                busiest = Math.max(busiest, requestThreads.getActiveCount());
                long started = System.nanoTime();
                assertThat(internalToken("fresh", "jira", false).statusCode()).isEqualTo(200);
                assertThat(call("GET", "/api/tools", null).statusCode()).isEqualTo(200);
                othersMs.add((System.nanoTime() - started) / 1_000_000);
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<HttpResponse<String>> answer : waiting) {
                statuses.merge(answer.get().statusCode(), 1, Integer::sum);
            }
            othersMs.sort(Long::compare);
            System.out.printf("slow-provider drill: %d callers of a provider answering in 1 s (8 refresh threads, 64 request "
                    + "threads): busiest moment %d request threads in use; %d pairs of other requests meanwhile, median %d ms, "
                    + "slowest %d ms; the waiting callers answered %s%n", DUE, busiest, othersMs.size(),
                    othersMs.get(othersMs.size() / 2), othersMs.get(othersMs.size() - 1), statuses);
            assertThat(busiest).as("request threads in use while %d callers waited for refreshes", DUE).isLessThan(16);
            assertThat(statuses.keySet()).as("each caller answered: its refreshed token, or our 503 at its deadline")
                    .isSubsetOf(200, 503);
        } finally {
            clients.shutdownNow();
        }
    }
}
