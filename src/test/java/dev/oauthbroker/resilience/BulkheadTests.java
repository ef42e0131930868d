package dev.oauthbroker.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.oauthbroker.BrokerIntegrationTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead per provider: a provider's refreshes run on its own threads, the test catalogue
 * giving figma {@code refreshConcurrency: 2}; more wait their turn without holding anyone else's.
 */
class BulkheadTests extends BrokerIntegrationTest {

    private static final String FIGMA_REFRESH = "/figma/refresh";
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void aProvidersRefreshesBeyondItsConcurrencyWaitTheirTurnWhileOtherProvidersRefresh() throws Exception {
        providers.stubFor(post(urlPathEqualTo(FIGMA_REFRESH)).willReturn(canned(200, "figma/refresh-ok.json").withFixedDelay(800)));
        stubToken("/google/token", 200, "google/refresh-ok.json");
        List<String> users = IntStream.rangeClosed(1, 4).mapToObj(i -> "u" + i).toList();
        users.forEach(u -> connected(u, "figma", List.of("figma"), "figd_SECRET-" + u, "figr_SECRET-" + u, -10L));
        connected("g1", "google", List.of("google_workspace"), "ya29.SECRET-g1", "1//SECRET-g1", -10L);

        List<Future<HttpResponse<String>>> figma = new ArrayList<>();
        users.forEach(u -> figma.add(callers.submit(() -> internalToken(u, "figma", false))));
        long started = System.nanoTime();
        HttpResponse<String> otherProvider = internalToken("g1", "google_workspace", false);
        long otherMs = (System.nanoTime() - started) / 1_000_000;
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> call : figma) {
            statuses.add(call.get().statusCode());
        }

        List<Long> arrivals = providers.findAll(postRequestedFor(urlPathEqualTo(FIGMA_REFRESH))).stream()
                .map(LoggedRequest::getLoggedDate).map(d -> d.getTime()).sorted().toList();
        long secondWaveAfterMs = arrivals.get(2) - arrivals.get(0);
        System.out.printf("bulkhead: 4 concurrent figma refreshes, refreshConcurrency 2, 800 ms each: statuses %s, "
                + "second pair reached the provider %d ms after the first; google refreshed meanwhile in %d ms%n", statuses, secondWaveAfterMs, otherMs);
        assertThat(otherProvider.statusCode()).as("another provider's refresh is not held up").isEqualTo(200);
        assertThat(statuses).as("queued refreshes are served in turn, within the deadline").containsOnly(200);
        assertThat(arrivals).hasSize(4);
        assertThat(secondWaveAfterMs).as("never more than 2 at the provider at once").isGreaterThanOrEqualTo(700);
        assertThat(providerGuards.isDegraded("figma")).isFalse();
    }
}
