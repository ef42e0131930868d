package dev.oauthbroker.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulkhead per provider: the test catalogue gives figma {@code refreshConcurrency: 2}. */
class BulkheadTests extends BrokerIntegrationTest {

    private static final String FIGMA_REFRESH = "/figma/refresh";
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void refreshesBeyondAProvidersConcurrencyAreRefusedAtOnceWhileOtherProvidersRefresh() throws Exception {
        providers.stubFor(post(urlPathEqualTo(FIGMA_REFRESH)).willReturn(canned(200, "figma/refresh-ok.json").withFixedDelay(1000)));
        stubToken("/google/token", 200, "google/refresh-ok.json");
        List<String> users = IntStream.rangeClosed(1, 5).mapToObj(i -> "u" + i).toList();
        users.forEach(u -> connected(u, "figma", List.of("figma"), "figd_SECRET-" + u, "figr_SECRET-" + u, -10L));
        connected("g1", "google", List.of("google_workspace"), "ya29.SECRET-g1", "1//SECRET-g1", -10L);

        List<Future<HttpResponse<String>>> admitted = new ArrayList<>();
        for (String user : users.subList(0, 2)) {
            admitted.add(callers.submit(() -> internalToken(user, "figma", false)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> providers.findAll(postRequestedFor(urlPathEqualTo(FIGMA_REFRESH))).size() == 2);
        List<Long> refusedInMs = new ArrayList<>();
        for (String user : users.subList(2, 5)) {
            long started = System.nanoTime();
            HttpResponse<String> refused = internalToken(user, "figma", false);
            refusedInMs.add((System.nanoTime() - started) / 1_000_000);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused).get("error").asText()).isEqualTo("provider_unavailable");
            assertThat(json(refused).get("message").asText()).contains("bulkhead_full");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        }
        HttpResponse<String> otherProvider = internalToken("g1", "google_workspace", false);

        assertThat(otherProvider.statusCode()).as("another provider's refresh is not held up").isEqualTo(200);
        for (Future<HttpResponse<String>> call : admitted) {
            assertThat(call.get().statusCode()).isEqualTo(200);
        }
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo(FIGMA_REFRESH)));
        assertThat(providerGuards.isDegraded("figma")).as("refusals are not failures of the provider").isFalse();
        assertThat(internalToken("u3", "figma", false).statusCode()).as("places are given back").isEqualTo(200);
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo(FIGMA_REFRESH)));
        System.out.printf("bulkhead: 5 concurrent figma refreshes, refreshConcurrency 2: 2 reached the provider (1000 ms each), "
                + "3 refused in %s ms; google refreshed meanwhile%n", refusedInMs);
    }
}
