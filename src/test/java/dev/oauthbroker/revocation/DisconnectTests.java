package dev.oauthbroker.revocation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisconnectTests extends BrokerIntegrationTest {

    final String jwt = TestUsers.jwt("u1");

    @Test
    void githubIsRevokedWithBasicAuthAndTheRowIsKeptInactive() {
        providers.stubFor(delete(urlPathEqualTo("/github/applications/github-client-id/grant")).willReturn(aResponse().withStatus(204)));
        Grant grant = connected("u1", "github", List.of("github"), "gho_SECRET-1", null, null);

        HttpResponse<String> response = call("DELETE", "/api/integrations/github", jwt);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("disconnected").asBoolean()).isTrue();
        assertThat(json(response).get("revocation").asText()).isEqualTo("revoked");
        String basic = "Basic " + Base64.getEncoder().encodeToString("github-client-id:github-client-secret-value".getBytes());
        providers.verify(exactly(1), deleteRequestedFor(urlPathEqualTo("/github/applications/github-client-id/grant"))
                .withHeader("Authorization", equalTo(basic))
                .withRequestBody(equalToJson("{\"access_token\":\"gho_SECRET-1\"}")));
        Map<String, Object> row = jdbc.queryForMap("select status, deleted_at from grants where id = ?", grant.id());
        assertThat(row.get("status")).isEqualTo("disconnected");
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "disconnected", "revoked");
        assertThat(internalToken("u1", "github", false).statusCode()).isEqualTo(404);
    }

    @Test
    void aDisconnectDuringASlowRefreshLeavesNoLiveCredentialAtTheProvider() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(canned(200, "google/refresh-ok.json").withFixedDelay(800)));
        providers.stubFor(post(urlPathEqualTo("/google/revoke")).willReturn(aResponse().withStatus(200)));
        Grant grant = connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);

        java.util.concurrent.CompletableFuture<HttpResponse<String>> token =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> internalToken("u1", "google_workspace", false));
        org.awaitility.Awaitility.await().until(() -> providers.findAll(postRequestedFor(urlPathEqualTo("/google/token"))).size() == 1);
        HttpResponse<String> disconnected = call("DELETE", "/api/integrations/google_workspace", jwt);
        HttpResponse<String> answered = token.get(10, java.util.concurrent.TimeUnit.SECONDS);

        System.out.printf("disconnect during refresh: disconnect %d %s, token request %d %s%n", disconnected.statusCode(),
                json(disconnected).get("revocation").asText(), answered.statusCode(), json(answered).get("error").asText());
        assertThat(disconnected.statusCode()).isEqualTo(200);
        assertThat(answered.statusCode()).as("never a 500").isEqualTo(404);
        assertThat(json(answered).get("error").asText()).isEqualTo("not_connected");
        List<String> revoked = providers.findAll(postRequestedFor(urlPathEqualTo("/google/revoke"))).stream()
                .map(r -> r.getBodyAsString()).toList();
        assertThat(revoked).as("the old tokens by the disconnect, the new access token by the refresh")
                .anySatisfy(body -> assertThat(body).contains("token=1%2F%2FSECRET-rt"))
                .anySatisfy(body -> assertThat(body).contains("token=ya29.SECRET-google-refreshed"));
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("disconnected");
    }

    @Test
    void aFailingRevocationStillDisconnectsAndSaysSo() {
        providers.stubFor(delete(urlPathEqualTo("/github/applications/github-client-id/grant")).willReturn(aResponse().withStatus(404)));
        Grant grant = connected("u1", "github", List.of("github"), "gho_SECRET-1", null, null);

        JsonNode body = json(call("DELETE", "/api/integrations/github", jwt));

        assertThat(body.get("disconnected").asBoolean()).isTrue();
        assertThat(body.get("revocation").asText()).isEqualTo("failed");
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("disconnected");
        providers.verify(exactly(1), deleteRequestedFor(urlPathEqualTo("/github/applications/github-client-id/grant")));
    }

    @Test
    void aHangingRevocationEndpointDoesNotHoldTheDisconnectPastItsDeadline() {
        providers.stubFor(post(urlPathEqualTo("/zoom/revoke")).willReturn(ok().withFixedDelay(5000)));
        Grant grant = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-at", "zm-SECRET-rt", 3600L);

        long started = System.nanoTime();
        HttpResponse<String> response = call("DELETE", "/api/integrations/zoom", jwt);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        int attempts = providers.findAll(postRequestedFor(urlPathEqualTo("/zoom/revoke"))).size();
        System.out.printf("disconnect with a hanging revocation endpoint: %d %s after %d ms, %d attempts (deadline 3000 ms, "
                + "each call cut at 2500 ms)%n", response.statusCode(), json(response).get("revocation").asText(), tookMs, attempts);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("revocation").asText()).isEqualTo("failed");
        assertThat(attempts).as("retries stop once the next would start past the deadline; 3 attempts would be allowed otherwise")
                .isLessThan(3);
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("disconnected");
    }

    @Test
    void rfc7009RevokesTheRefreshTokenFirstThenTheAccessTokenRetrying503() {
        providers.stubFor(post(urlPathEqualTo("/zoom/revoke")).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        providers.stubFor(post(urlPathEqualTo("/zoom/revoke")).inScenario("busy").whenScenarioStateIs("ok").willReturn(ok()));
        connected("u1", "zoom", List.of("zoom"), "zm-SECRET-at", "zm-SECRET-rt", 3600L);

        assertThat(json(call("DELETE", "/api/integrations/zoom", jwt)).get("revocation").asText()).isEqualTo("revoked");

        String basic = "Basic " + Base64.getEncoder().encodeToString("zoom-client-id:zoom-client-secret-value".getBytes());
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/zoom/revoke"))
                .withRequestBody(containing("token=zm-SECRET-rt")).withRequestBody(containing("token_type_hint=refresh_token"))
                .withHeader("Authorization", equalTo(basic)));
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/zoom/revoke"))
                .withRequestBody(containing("token=zm-SECRET-at")).withRequestBody(containing("token_type_hint=access_token")));
    }

    @Test
    void slackRevokesWithTheTokenAsBearerAndOkFalseIsAFailure() {
        providers.stubFor(post(urlPathEqualTo("/slack/auth.revoke")).willReturn(okJson("{\"ok\":true,\"revoked\":true}")));
        connected("u1", "slack", List.of("slack"), "xoxp-SECRET-1", null, null);
        assertThat(json(call("DELETE", "/api/integrations/slack", jwt)).get("revocation").asText()).isEqualTo("revoked");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/slack/auth.revoke")).withHeader("Authorization", equalTo("Bearer xoxp-SECRET-1")));

        providers.stubFor(post(urlPathEqualTo("/slack/auth.revoke")).willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        connected("u1", "slack", List.of("slack"), "xoxp-SECRET-2", null, null);
        assertThat(json(call("DELETE", "/api/integrations/slack", jwt)).get("revocation").asText()).isEqualTo("failed");
    }

    @Test
    void aSharedGrantIsRevokedOnlyWhenItsLastToolLeaves() {
        Grant grant = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-1", "rt-SECRET-1", 3600L);

        JsonNode first = json(call("DELETE", "/api/integrations/jira", jwt));
        assertThat(first.get("revocation").asText()).isEqualTo("skipped");
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("active");
        assertThat(internalToken("u1", "confluence", false).statusCode()).isEqualTo(200);
        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(404);

        JsonNode last = json(call("DELETE", "/api/integrations/confluence", jwt));
        assertThat(last.get("revocation").asText()).as("Atlassian has no per-token revocation").isEqualTo("unsupported");
        assertThat(jdbc.queryForObject("select status from grants where id = ?", String.class, grant.id())).isEqualTo("disconnected");
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void aBucketDisconnectDetachesAllItsTools() {
        connected("u1", "microsoft", List.of("outlook", "teams", "onedrive"), "ms-SECRET-1", "ms-SECRET-rt", 3600L);

        JsonNode body = json(call("DELETE", "/api/buckets/microsoft", jwt));

        assertThat(body.get("tools")).extracting(JsonNode::asText).containsExactly("outlook", "teams", "onedrive");
        assertThat(body.get("revocation").asText()).isEqualTo("unsupported");
        assertThat(jdbc.queryForObject("select count(*) from grant_tools where detached_at is null", Integer.class)).isZero();
    }

    @Test
    void disconnectingWhatIsNotConnectedIs404AndChangesNothing() {
        HttpResponse<String> response = call("DELETE", "/api/integrations/jira", jwt);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_connected");
        assertThat(call("DELETE", "/api/integrations/nothing", jwt).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from grant_events", Integer.class)).isZero();
    }
}
