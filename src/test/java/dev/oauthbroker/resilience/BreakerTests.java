package dev.oauthbroker.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker per provider, end to end: test settings open it after 3 consecutive
 * transient failures (one refresh's three attempts) for 2 s.
 */
class BreakerTests extends BrokerIntegrationTest {

    private static final String GOOGLE_TOKEN = "/google/token";
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void threeConsecutive503sOpenTheBreakerAndDueRefreshesAreRefusedAtOnceWithRetryAfter() {
        long changesBefore = logLines("circuit breaker for provider google: CLOSED -> OPEN (3 consecutive failures)");
        openGoogleBreaker();
        Grant due = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-due", "1//SECRET-due", -10L);

        long started = System.nanoTime();
        HttpResponse<String> refused = internalToken("u1", "google_workspace", false);
        long refusedInMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(json(refused).get("error").asText()).isEqualTo("provider_unavailable");
        assertThat(json(refused).get("message").asText()).contains("circuit_open");
        long retryAfter = refused.headers().firstValueAsLong("Retry-After").orElseThrow();
        assertThat(retryAfter).as("the rest of the 2 s open period, rounded up").isBetween(1L, 2L);
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
        Grant stored = grantStore.find(due.id()).orElseThrow();
        assertThat(stored.tokenVersion()).isEqualTo(due.tokenVersion());
        assertThat(stored.lastError()).as("a refusal learns nothing about the grant and writes nothing").isNull();
        assertThat(events(due)).containsExactly("connected");
        assertThat(logLines("circuit breaker for provider google: CLOSED -> OPEN (3 consecutive failures)")).isEqualTo(changesBefore + 1);
        assertThat(jdbc.queryForMap("select breaker_state, reason from provider_health where provider = 'google'"))
                .containsEntry("breaker_state", "OPEN").containsEntry("reason", "3 consecutive failures");
        System.out.printf("breaker: opened after 3 provider calls; a due refresh refused in %d ms (Retry-After %d s), provider calls while open: 0%n",
                refusedInMs, retryAfter);
    }

    @Test
    void whileOpenAProactiveRefreshAnswersTheStillValidTokenAndAForcedOne503() {
        openGoogleBreaker();
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-still-valid", "1//SECRET-rt", 120L);

        HttpResponse<String> proactive = internalToken("u1", "google_workspace", false);
        HttpResponse<String> forced = internalToken("u1", "google_workspace", true);

        assertThat(proactive.statusCode()).isEqualTo(200);
        assertThat(json(proactive).get("accessToken").asText()).isEqualTo("ya29.SECRET-still-valid");
        assertThat(forced.statusCode()).isEqualTo(503);
        assertThat(forced.headers().firstValue("Retry-After")).isPresent();
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
    }

    @Test
    void afterTheOpenDurationOneProbeGoesThroughAndItsSuccessClosesTheBreaker() throws Exception {
        openGoogleBreaker();
        long openedAt = System.nanoTime();
        providers.resetAll();
        providers.stubFor(post(urlPathEqualTo(GOOGLE_TOKEN)).willReturn(canned(200, "google/refresh-ok.json").withFixedDelay(800)));
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-u1", "1//SECRET-u1", -10L);
        connected("u2", "google", List.of("google_workspace"), "ya29.SECRET-u2", "1//SECRET-u2", -10L);

        List<Future<HttpResponse<String>>> u1Calls = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            u1Calls.add(callers.submit(() -> internalToken("u1", "google_workspace", false)));
            return !providers.findAll(postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN))).isEmpty();
        });
        long probeAfterMs = (System.nanoTime() - openedAt) / 1_000_000;
        HttpResponse<String> duringProbe = internalToken("u2", "google_workspace", false);

        assertThat(duringProbe.statusCode()).as("half-open lets one probe through at a time").isEqualTo(503);
        List<Integer> u1Statuses = u1Calls.stream().map(BreakerTests::status).toList();
        assertThat(u1Statuses).as("refused until the probe, then the probe's token").contains(503).endsWith(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !providerGuards.isDegraded("google"));
        assertThat(internalToken("u2", "google_workspace", false).statusCode()).as("closed again").isEqualTo(200);
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
        assertThat(jdbc.queryForMap("select breaker_state, reason from provider_health where provider = 'google'"))
                .containsEntry("breaker_state", "CLOSED").containsEntry("reason", "the probe succeeded");
        assertThat(logLines("circuit breaker for provider google: OPEN -> HALF_OPEN")).isPositive();
        assertThat(logLines("circuit breaker for provider google: HALF_OPEN -> CLOSED (the probe succeeded)")).isPositive();
        System.out.printf("breaker: probe %d ms after opening (open duration 2000 ms); %d callers refused before it, 1 refused during it%n",
                probeAfterMs, u1Statuses.stream().filter(s -> s == 503).count());
    }

    @Test
    void aFailedProbeOpensTheBreakerAgainAndEndsItsRefreshWithoutRetrying() {
        openGoogleBreaker();
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-u1", "1//SECRET-u1", -10L);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            internalToken("u1", "google_workspace", false);
            return providers.findAll(postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN))).size() > 3;
        });

        providers.verify(exactly(4), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
        assertThat(providerGuards.isDegraded("google")).isTrue();
        assertThat(jdbc.queryForMap("select breaker_state, reason from provider_health where provider = 'google'"))
                .containsEntry("breaker_state", "OPEN").containsEntry("reason", "the probe failed");
        assertThat(internalToken("u1", "google_workspace", false).statusCode()).isEqualTo(503);
        providers.verify(exactly(4), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
    }

    @Test
    void invalidGrantNeverOpensTheBreaker() {
        stubToken(GOOGLE_TOKEN, 400, "google/invalid-grant.json");
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            connected(user, "google", List.of("google_workspace"), "ya29.SECRET-" + user, "1//SECRET-" + user, -10L);
            assertThat(internalToken(user, "google_workspace", false).statusCode()).isEqualTo(409);
        }

        providers.verify(exactly(4), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
        assertThat(providerGuards.isDegraded("google")).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from provider_health", Integer.class)).isZero();
    }

    @Test
    void anotherProviderIsServedWhileOneIsOpenAndToolsShowWhichIsDegraded() {
        openGoogleBreaker();
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", -10L);

        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(200);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));

        JsonNode tools = json(call("GET", "/api/tools", null));
        assertThat(find(tools.get("tools"), "toolType", "google_workspace").get("degraded").asBoolean()).isTrue();
        assertThat(find(tools.get("tools"), "toolType", "google_workspace").get("available").asBoolean()).isTrue();
        assertThat(find(tools.get("tools"), "toolType", "jira").get("degraded").asBoolean()).isFalse();
        assertThat(find(tools.get("buckets"), "id", "google_workspace").get("degraded").asBoolean()).isTrue();
        assertThat(find(tools.get("buckets"), "id", "atlassian").get("degraded").asBoolean()).isFalse();
    }

    @Test
    void validationReportsAnOpenProviderWithoutCallingIt() {
        openGoogleBreaker();
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-u1", "1//SECRET-u1", 3600L);

        JsonNode result = json(call("POST", "/api/integrations/validate", TestUsers.jwt("u1"))).get("results").get(0);

        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("status").asText()).isEqualTo("error");
        assertThat(result.get("reason").asText()).isEqualTo("circuit_open");
        providers.verify(exactly(0), getRequestedFor(urlPathEqualTo("/google/userinfo")));
    }

    /** One refresh against a provider answering 503: its three attempts open the breaker. */
    private void openGoogleBreaker() {
        providers.stubFor(post(urlPathEqualTo(GOOGLE_TOKEN)).willReturn(aResponse().withStatus(503)));
        connected("opener", "google", List.of("google_workspace"), "ya29.SECRET-opener", "1//SECRET-opener", -10L);
        assertThat(internalToken("opener", "google_workspace", false).statusCode()).isEqualTo(503);
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo(GOOGLE_TOKEN)));
        assertThat(providerGuards.isDegraded("google")).isTrue();
    }

    private List<String> events(Grant grant) {
        return jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id());
    }

    private static long logLines(String text) {
        return LogCapture.serviceLines().stream().filter(l -> l.contains(text)).count();
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        return StreamSupport.stream(list.spliterator(), false).filter(n -> value.equals(n.get(field).asText())).findFirst().orElseThrow();
    }

    private static int status(Future<HttpResponse<String>> call) {
        try {
            return call.get().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
