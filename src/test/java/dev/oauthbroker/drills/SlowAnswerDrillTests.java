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
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drill: a provider takes 20 s to finish its token answer. The caller answers by its own deadline,
 * each call ends by its total deadline (connect + read timeout: 2.5 s in tests; a true byte-a-
 * second trickle is cut the same way, {@code provider.ProviderCallDeadlineTests}), and the
 * grant's refresh lease is given back long before the answer would have been complete.
 */
@Tag("drills")
class SlowAnswerDrillTests extends BrokerIntegrationTest {

    @Test
    void aProviderTakingTwentySecondsToAnswerCostsTheCallerItsDeadlineAndTheLeaseIsReleased() {
        // a large answer, so every chunk leaves WireMock's output buffer at once
        String padded = "{\"access_token\":\"ya29.SECRET-trickled\",\"expires_in\":3599,\"token_type\":\"Bearer\",\"pad\":\""
                + "x".repeat(400_000) + "\"}";
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(padded)
                .withChunkedDribbleDelay(50, 20_000)));
        Grant grant = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        long started = System.nanoTime();
        HttpResponse<String> response = internalToken("u1", "google_workspace", false);
        long answeredMs = (System.nanoTime() - started) / 1_000_000;
        await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("select refresh_lease_owner is null from grants where id = ?", Boolean.class, grant.id()));
        long releasedMs = (System.nanoTime() - started) / 1_000_000;
        int calls = providers.findAll(postRequestedFor(urlPathEqualTo("/google/token"))).size();

        System.out.printf("slow-answer drill: caller answered %d after %d ms (deadline 3000); %d provider calls, each ended by its "
                + "2500 ms total deadline; lease released after %d ms (the answer alone takes 20000 ms)%n",
                response.statusCode(), answeredMs, calls, releasedMs);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("provider_unavailable");
        assertThat(calls).as("the timed-out call retried while the deadline allowed").isBetween(1, 2);
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("active");
        assertThat(stored.accessToken()).isEqualTo("ya29.SECRET-old");
    }
}
