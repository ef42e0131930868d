package dev.oauthbroker.validation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ValidationTests extends BrokerIntegrationTest {

    @Autowired
    ProducerTemplate routes;

    @Test
    void validateChecksEachGrantOnceAndAnswersPerTool() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[{\"id\":\"cloud-1\"}]")));
        providers.stubFor(get(urlPathEqualTo("/github/user")).willReturn(aResponse().withStatus(401)));
        Grant atlassian = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        Grant github = connected("u1", "github", List.of("github"), "gho_SECRET-g", null, null);

        JsonNode results = json(call("POST", "/api/integrations/validate", TestUsers.jwt("u1"))).get("results");

        assertThat(results).hasSize(3);
        assertThat(find(results, "jira").get("valid").asBoolean()).isTrue();
        assertThat(find(results, "confluence").get("status").asText()).isEqualTo("connected");
        assertThat(find(results, "github").get("status").asText()).isEqualTo("reauth_required");
        providers.verify(exactly(1), getRequestedFor(urlPathEqualTo("/atlassian/accessible-resources"))
                .withHeader("Authorization", equalTo("Bearer at-SECRET-a")));
        assertThat(grantStore.find(atlassian.id()).orElseThrow().lastValidatedAt()).isNotNull();
        assertThat(grantStore.find(github.id()).orElseThrow().status().name()).isEqualTo("reauth_required");
    }

    @Test
    void a401IsRetriedOnceWithAFreshTokenBeforeTheGrantIsDeclaredDead() {
        stubToken("/google/token", 200, "google/refresh-ok.json");
        providers.stubFor(get(urlPathEqualTo("/google/userinfo")).withHeader("Authorization", equalTo("Bearer ya29.SECRET-stale"))
                .willReturn(aResponse().withStatus(401)));
        providers.stubFor(get(urlPathEqualTo("/google/userinfo")).withHeader("Authorization", equalTo("Bearer ya29.SECRET-google-refreshed"))
                .willReturn(okJson("{\"sub\":\"1\"}")));
        connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-stale", "1//SECRET-rt", 3600L);

        JsonNode result = json(call("POST", "/api/integrations/validate", TestUsers.jwt("u1"))).get("results").get(0);

        assertThat(result.get("valid").asBoolean()).isTrue();
        assertThat(result.get("refreshed").asBoolean()).isTrue();
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/google/token")));
        providers.verify(exactly(2), getRequestedFor(urlPathEqualTo("/google/userinfo")));
    }

    @Test
    void slackSays200WithOkFalseForADeadToken() {
        providers.stubFor(post(urlPathEqualTo("/slack/auth.test")).willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        providers.stubFor(get(urlPathEqualTo("/slack/auth.test")).willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        connected("u1", "slack", List.of("slack"), "xoxp-SECRET-1", null, null);

        JsonNode result = json(call("POST", "/api/integrations/validate", TestUsers.jwt("u1"))).get("results").get(0);

        assertThat(result.get("status").asText()).isEqualTo("reauth_required");
    }

    @Test
    void anUnreachableIdentityEndpointIsAnErrorNotADeadGrant() {
        providers.stubFor(get(urlPathEqualTo("/zoom/users/me")).willReturn(aResponse().withStatus(503)));
        Grant grant = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-1", "zm-SECRET-rt", 3600L);

        JsonNode result = json(call("POST", "/api/integrations/validate", TestUsers.jwt("u1"))).get("results").get(0);

        assertThat(result.get("status").asText()).isEqualTo("error");
        assertThat(grantStore.find(grant.id()).orElseThrow().status().name()).isEqualTo("active");
    }

    @Test
    void theSweepOver200GrantsMarksExactlyTheDeadOnes() {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).withHeader("Authorization", containing("dead"))
                .willReturn(aResponse().withStatus(401)));
        providers.stubFor(post(urlPathEqualTo("/acme/token")).withRequestBody(containing("dead"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
        providers.stubFor(post(urlPathEqualTo("/acme/token")).withRequestBody(containing("idle"))
                .willReturn(okJson("{\"access_token\":\"acme-SECRET-new\",\"expires_in\":3600,\"refresh_token\":\"acme-SECRET-new-rt\"}")));
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = "user-" + i;
            boolean isDead = i % 29 == 0;
            boolean idle = i % 10 == 1;
            String kind = isDead ? "dead" : idle ? "idle" : "ok";
            Grant grant = connected(user, "acme", List.of("acme_wiki"), "acme-SECRET-" + kind + "-" + i, "acme-SECRET-rt-" + kind + "-" + i, 3600L);
            if (idle) {
                expiresIn(grant, -60);
            }
            if (isDead) {
                dead.add(user);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> summary = routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true)).getMessage().getBody(Map.class);

        assertThat(summary).containsEntry("checked", 200).containsEntry("reauthRequired", dead.size()).containsEntry("errors", 0)
                .containsEntry("valid", 200 - dead.size()).containsEntry("refreshed", 20);
        assertThat(jdbc.queryForList("select user_id from grants where status = 'reauth_required' order by user_id", String.class))
                .containsExactlyInAnyOrderElementsOf(dead);
        assertThat(jdbc.queryForObject("select count(*) from grants where last_validated_at is not null", Integer.class)).isEqualTo(200 - dead.size());
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs where finished_at is not null", Integer.class)).isEqualTo(1);
    }

    @Test
    void theSweepSkipsAnUndecryptableGrantAmong100AndValidatesTheOther99() {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            grants.add(connected("user-" + i, "acme", List.of("acme_wiki"), "acme-SECRET-" + i, "acme-SECRET-rt-" + i, 3600L));
        }
        Grant broken = grants.get(37);
        dropKeyOf(broken);

        @SuppressWarnings("unchecked")
        Map<String, Object> summary = routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true)).getMessage().getBody(Map.class);

        int identityCalls = providers.findAll(getRequestedFor(urlPathEqualTo("/acme/userinfo"))).size();
        System.out.printf("undecryptable-grant drill: 100 grants, 1 undecryptable -> sweep %s; identity calls %d%n", summary, identityCalls);
        assertThat(summary).containsEntry("checked", 99).containsEntry("valid", 99).containsEntry("skippedUndecryptable", 1)
                .containsEntry("reauthRequired", 0).containsEntry("errors", 0);
        assertThat(identityCalls).isEqualTo(99);
        assertThat(jdbc.queryForObject("select count(*) from grants where last_validated_at is not null", Integer.class)).isEqualTo(99);
        assertThat(jdbc.queryForMap("select status, last_error from grants where id = ?", broken.id()))
                .containsEntry("status", "reauth_required").containsEntry("last_error", "undecryptable");
        assertThat(jdbc.queryForObject("select summary from sweep_runs where finished_at is not null", String.class))
                .contains("skippedUndecryptable=1");
    }
}
