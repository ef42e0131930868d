package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.TestProviders;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.TokenSet;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

class TokenLifecycleTests extends BrokerIntegrationTest {

    @Autowired
    JdbcRefreshLeases leases;

    @Test
    void aTokenFarFromExpiryIsReturnedWithoutCallingTheProvider() {
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-current", "1//SECRET-rt", 600L);

        HttpResponse<String> response = internalToken("u1", "google_workspace", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accessToken").asText()).isEqualTo("ya29.SECRET-current");
        assertThat(json(response).get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void aTokenExpiringWithinTheBufferIsRefreshedFirstAndTheRotatedPairStored() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        Grant grant = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", 3600L);
        expiresIn(grant, 180);

        HttpResponse<String> response = internalToken("u1", "jira", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=rt-SECRET-old")));
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.refreshToken()).isEqualTo("eyJ-SECRET-atlassian-refresh");
        assertThat(stored.tokenVersion()).isEqualTo(grant.tokenVersion() + 1);
        assertThat(stored.lastRefreshedAt()).isNotNull();
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "refreshed");
        assertThat(json(internalToken("u1", "confluence", false)).get("accessToken").asText())
                .as("the grant is shared: confluence gets the same fresh token without another call").isEqualTo("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aTokenTenMinutesFromExpiryIsNotRefreshed() {
        Grant grant = connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", 3600L);
        expiresIn(grant, 600);
        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(200);
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void forceRefreshRefreshesATokenThatIsNotDue() {
        stubToken("/google/token", 200, "google/refresh-ok.json");
        Grant grant = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-current", "1//SECRET-rt", 3600L);

        HttpResponse<String> response = internalToken("u1", "google_workspace", true);

        assertThat(json(response).get("accessToken").asText()).isEqualTo("ya29.SECRET-google-refreshed");
        assertThat(grantStore.find(grant.id()).orElseThrow().refreshToken()).as("no new refresh token: the old one is kept").isEqualTo("1//SECRET-rt");
    }

    @Test
    void twoFailuresThenSuccessRetriesAndReturnsTheToken() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("third"));
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(canned(200, "google/refresh-ok.json")));
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        HttpResponse<String> response = internalToken("u1", "google_workspace", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accessToken").asText()).isEqualTo("ya29.SECRET-google-refreshed");
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/google/token")));
    }

    @Test
    void threeFailuresGive503AndLeaveTheGrantUsable() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(aResponse().withStatus(503)));
        Grant grant = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        HttpResponse<String> response = internalToken("u1", "google_workspace", false);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("provider_unavailable");
        assertThat(response.body()).doesNotContain("SECRET");
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/google/token")));
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("active");
        assertThat(stored.lastError()).isEqualTo("http_503");
        assertThat(stored.refreshToken()).isEqualTo("1//SECRET-rt");
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "refresh_failed");
        List<String> attempts = LogCapture.serviceLines().stream()
                .filter(l -> l.contains("provider call failed") && l.contains("grant=" + grant.id())).toList();
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0)).contains("provider=google", "user=u1", "attempt=1 of 3", "nextDelayMs=20", "error=http_503");
        assertThat(attempts.get(1)).contains("attempt=2 of 3", "nextDelayMs=40");
        assertThat(attempts.get(2)).contains("attempt=3 of 3", "giving up");
    }

    @Test
    void anHtmlBadGatewayPageIsRetriedThenAnswered503() {
        stubToken("/acme/token", 502, "acme/bad-gateway.html");
        connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);
        assertThat(internalToken("u1", "acme_wiki", false).statusCode()).isEqualTo(503);
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/acme/token")));
    }

    @Test
    void aTokenAnswer200ThatIsNeitherJsonNorAFormIsRetriedThenAnswered503() {
        Map<String, String> answers = Map.of("html", "<!doctype html><html><body>Maintenance</body></html>",
                "broken-json", "{\"access_token\": \"acme-SECRET-new\"", "bad-escape", "access_token=acme-SECRET%zz");
        answers.forEach((user, body) -> {
            providers.resetAll();
            providerGuards.reset(); // three failures each: the breaker would open after the first answer
            providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/html").withBody(body)));
            Grant grant = connected(user, "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);

            HttpResponse<String> response = internalToken(user, "acme_wiki", false);

            assertThat(response.statusCode()).as(user).isEqualTo(503);
            assertThat(json(response).get("error").asText()).isEqualTo("provider_unavailable");
            providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/acme/token")));
            assertThat(grantStore.find(grant.id()).orElseThrow().lastError()).isEqualTo("unreadable_answer");
        });
    }

    @Test
    void aReadTimeoutIsRetriedWhenResendingTheRefreshTokenIsSafe() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(canned(200, "google/refresh-ok.json").withFixedDelay(2500)));
        Grant grant = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        assertThat(internalToken("u1", "google_workspace", false).statusCode()).isEqualTo(503);

        // 1.5 s read timeouts inside the 3 s test deadline: the retry starts, a third would not fit
        await().untilAsserted(() -> assertThat(grantStore.find(grant.id()).orElseThrow().lastError()).isEqualTo("read_timeout"));
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(grantStore.find(grant.id()).orElseThrow().status().name()).isEqualTo("active");
    }

    @Test
    void aReadTimeoutOnARotatingProviderIsReplayedOnceAndNeverMarksTheGrantDead() {
        providers.stubFor(post(urlPathEqualTo("/zoom/token")).willReturn(canned(200, "zoom/token-ok.json").withFixedDelay(2500)));
        Grant grant = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-old", "zm-SECRET-rt", -10L);

        assertThat(internalToken("u1", "zoom", false).statusCode()).isEqualTo(503);

        await().untilAsserted(() -> assertThat(grantStore.find(grant.id()).orElseThrow().lastError()).isEqualTo("timeout_after_replay"));
        List<LoggedRequest> sent = providers.findAll(postRequestedFor(urlPathEqualTo("/zoom/token")));
        assertThat(sent).hasSize(2).allSatisfy(r -> assertThat(r.getBodyAsString()).contains("refresh_token=zm-SECRET-rt"));
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).as("only invalid_grant marks a grant dead").isEqualTo("active");
        assertThat(stored.refreshToken()).isEqualTo("zm-SECRET-rt");
    }

    @Test
    void aReplayedRefreshAnsweredInvalidGrantMeansTheFirstRequestHadRotatedIt() {
        providers.stubFor(post(urlPathEqualTo("/zoom/token")).inScenario("lost").whenScenarioStateIs(STARTED)
                .willReturn(canned(200, "zoom/token-ok.json").withFixedDelay(2500)).willSetStateTo("rotated"));
        providers.stubFor(post(urlPathEqualTo("/zoom/token")).inScenario("lost").whenScenarioStateIs("rotated")
                .willReturn(canned(400, "zoom/invalid-grant.json")));
        Grant grant = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-old", "zm-SECRET-rt", -10L);

        assertThat(internalToken("u1", "zoom", false).statusCode()).isEqualTo(409);

        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/zoom/token")));
        assertThat(grantStore.find(grant.id()).orElseThrow().status().name()).isEqualTo("reauth_required");
    }

    @Test
    void aProviderThatRevokesTheFamilyOnReuseIsNeverReplayedAfterATimeout() {
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(canned(200, "acme/token-ok.json").withFixedDelay(2500)));
        Grant grant = connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);

        HttpResponse<String> response = internalToken("u1", "acme_wiki", false);

        assertThat(response.statusCode()).isEqualTo(409);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/acme/token")));
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("reauth_required");
        assertThat(stored.lastError()).isEqualTo("ambiguous");
    }

    @Test
    void aReadTimeoutInsideAtlassiansReuseLeewayIsRetried() {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(2500)).willSetStateTo("fast"));
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(canned(200, "atlassian/token-ok.json")));
        connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", -10L);

        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(200);
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aRetryAfterIsHonouredUpToTheCap() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(canned(200, "google/refresh-ok.json")));
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        assertThat(internalToken("u1", "google_workspace", false).statusCode()).isEqualTo(200);

        List<LoggedRequest> calls = providers.findAll(postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(calls).hasSize(2);
        long gapMs = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(gapMs).as("Retry-After 1 s, capped at 300 ms in tests; the plain first delay is 20 ms").isGreaterThanOrEqualTo(250);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "atlassian, jira, 403, atlassian/invalid-grant.json, invalid_grant",
            "microsoft, outlook, 400, microsoft/invalid-grant-700082.json, AADSTS700082",
            "microsoft, teams, 400, microsoft/invalid-grant-50173.json, AADSTS50173",
            "microsoft, onedrive, 400, microsoft/interaction-required-50076.json, AADSTS50076",
            "microsoft, teams, 400, microsoft/consent-required-65001.json, admin_consent_required",
            "github, github, 200, github/bad-refresh-token.json, bad_refresh_token",
            "slack, slack, 200, slack/invalid-refresh-token.json, invalid_refresh_token",
            "google, google_workspace, 400, google/invalid-grant.json, invalid_grant",
            "zoom, zoom, 400, zoom/invalid-grant.json, invalid_grant"})
    void everyProvidersDeadGrantShapeMeansReauthRequiredWithoutRetry(String provider, String tool, int status, String file, String reason) {
        stubToken("/" + provider + "/token", status, file);
        Grant grant = connected("u1", provider, List.of(tool), "at-SECRET-old", "rt-SECRET-old", -10L);

        HttpResponse<String> response = internalToken("u1", tool, false);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("reauth_required");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/" + provider + "/token")));
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("reauth_required");
        assertThat(stored.lastError()).isEqualTo(reason);
        assertThat(stored.accessToken()).as("an error body is never taken for a token").isEqualTo("at-SECRET-old");
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "reauth_required");

        assertThat(internalToken("u1", tool, false).statusCode()).as("stays 409 without asking the provider again").isEqualTo(409);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/" + provider + "/token")));
    }

    @Test
    void aSuccessWithoutAnAccessTokenIsAFailureNotAToken() {
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(okJson("{\"token_type\":\"Bearer\",\"expires_in\":300}")));
        Grant grant = connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);

        assertThat(internalToken("u1", "acme_wiki", false).statusCode()).isEqualTo(503);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/acme/token")));
        assertThat(grantStore.find(grant.id()).orElseThrow().lastError()).isEqualTo("no_access_token");
    }

    @Test
    void figmaRefreshesAtItsOwnEndpointAndKeepsTheRefreshToken() {
        stubToken("/figma/refresh", 200, "figma/refresh-ok.json");
        Grant grant = connected("u1", "figma", List.of("figma"), "figd_SECRET-old", "figr_SECRET-rt", -10L);

        assertThat(json(internalToken("u1", "figma", false)).get("accessToken").asText()).isEqualTo("figd_SECRET-figma-refreshed");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/figma/refresh")));
        assertThat(grantStore.find(grant.id()).orElseThrow().refreshToken()).isEqualTo("figr_SECRET-rt");
    }

    @Test
    void concurrentRequestsForOneExpiredGrantMakeOneProviderCall() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(300)));
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", -10L);

        List<String> tokens = concurrently(20, i -> json(internalToken("u1", i % 2 == 0 ? "jira" : "confluence", false)).get("accessToken").asText());

        assertThat(tokens).hasSize(20).containsOnly("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aShortLivedTokenIsRefreshedOnceNotOnEveryRequest() {
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(okJson(
                "{\"access_token\":\"acme-SECRET-short\",\"token_type\":\"Bearer\",\"expires_in\":120,\"refresh_token\":\"acme-SECRET-rt2\"}")));
        connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);

        for (int i = 0; i < 20; i++) {
            assertThat(json(internalToken("u1", "acme_wiki", false)).get("accessToken").asText()).isEqualTo("acme-SECRET-short");
        }
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/acme/token")));
    }

    @Test
    void aLostRaceIsNotADeadGrant() {
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(aResponse().withStatus(400).withFixedDelay(700)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        Grant grant = connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);
        Thread peer = new Thread(() -> {
            // another process (without our lock) refreshes while our request is in flight
            providers.findAll(postRequestedFor(urlPathEqualTo("/acme/token")));
            while (providers.findAll(postRequestedFor(urlPathEqualTo("/acme/token"))).isEmpty()) {
                Thread.onSpinWait();
            }
            grantStore.saveRefreshed(grant, new TokenSet("acme-SECRET-peer", "acme-SECRET-peer-rt", "Bearer", 3600L, List.of()));
        });
        peer.start();

        HttpResponse<String> response = internalToken("u1", "acme_wiki", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accessToken").asText()).isEqualTo("acme-SECRET-peer");
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("active");
        assertThat(stored.refreshToken()).isEqualTo("acme-SECRET-peer-rt");
    }

    @Test
    void aRotatingProviderNeverSeesARefreshTokenTwice() throws Exception {
        TestProviders.ROTATING.reset("rt-SECRET-initial");
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(aResponse().withTransformers("rotating-refresh-tokens")));
        Grant grant = connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "rt-SECRET-initial", -10L);

        for (int round = 0; round < 5; round++) {
            expiresIn(grant, -10);
            List<Integer> statuses = concurrently(10, i -> internalToken("u1", "acme_wiki", false).statusCode());
            assertThat(statuses).containsOnly(200);
        }

        assertThat(TestProviders.ROTATING.reuses()).isZero();
        assertThat(TestProviders.ROTATING.issued()).isEqualTo(5);
        assertThat(grantStore.find(grant.id()).orElseThrow().refreshToken()).isEqualTo("rt-SECRET-rotated-5");
    }

    @Test
    void aRefreshHeldByAnotherInstanceMakesWaitersGiveUpAtTheirDeadlineWith503() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        Grant grant = connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", -10L);
        assertThat(leases.claim(grant.id(), "another-instance")).isTrue();
        try {
            long started = System.nanoTime();
            HttpResponse<String> response = internalToken("u1", "jira", false);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("waiter on another instance's refresh answered %d after %d ms (deadline 3000 ms)%n", response.statusCode(), tookMs);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("error").asText()).isEqualTo("provider_unavailable");
            providers.verify(exactly(0), postRequestedFor(urlPathEqualTo("/atlassian/token")));
            assertThat(jdbc.queryForObject("select count(*) from pg_stat_activity where state = 'idle in transaction'", Integer.class))
                    .as("no connection waits inside a transaction").isZero();
        } finally {
            leases.release(grant.id(), "another-instance");
        }
        assertThat(internalToken("u1", "jira", false).statusCode()).as("once the lease is free").isEqualTo(200);
    }

    @Test
    void anExpiredLeaseOfACrashedInstanceDoesNotBlockRefreshes() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        Grant grant = connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", -10L);
        assertThat(leases.claim(grant.id(), "crashed-instance")).isTrue();
        jdbc.update("update grants set refresh_lease_until = now() - interval '1 second' where id = ?", grant.id());

        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(200);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(jdbc.queryForObject("select refresh_lease_owner is null and refresh_lease_until is null from grants where id = ?",
                Boolean.class, grant.id())).as("the write of the new tokens ended the lease").isTrue();
    }

    @Test
    void notConnectedAndUnknownToolsAre404() {
        HttpResponse<String> missing = internalToken("nobody", "jira", false);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not_connected");
        assertThat(json(internalToken("nobody", "myspace", false)).get("error").asText()).isEqualTo("unknown_tool");
    }

    @Test
    void anExpiredTokenWithoutRefreshTokenNeedsReauthorization() {
        connected("u1", "github", List.of("github"), "gho_SECRET-old", null, -10L);
        assertThat(internalToken("u1", "github", false).statusCode()).isEqualTo(409);
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<T>> calls = IntStream.range(0, n).<Callable<T>>mapToObj(i -> () -> task.apply(i)).toList();
            List<T> results = new java.util.ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
