package dev.oauthbroker.grant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One grant whose tokens no configured key opens, beside a healthy grant of the same user: every
 * endpoint reports the broken one for itself and keeps serving the other (docs/design.md: "a broken row
 * affects that grant only").
 */
class UndecryptableGrantTests extends BrokerIntegrationTest {

    private final String jwt = TestUsers.jwt("u1");
    private Grant broken;

    @BeforeEach
    void oneBrokenGrantBesideAHealthyOne() {
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        broken = connected("u1", "github", List.of("github"), "gho_SECRET-g", null, null);
        dropKeyOf(broken);
    }

    @Test
    void theListShowsItReauthRequiredWithItsReasonAndMarksItOnce() {
        HttpResponse<String> first = call("GET", "/api/integrations", jwt);
        HttpResponse<String> second = call("GET", "/api/integrations", jwt);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        JsonNode integrations = json(second).get("integrations");
        JsonNode github = find(integrations, "github");
        assertThat(github.get("status").asText()).isEqualTo("reauth_required");
        assertThat(github.get("reason").asText()).isEqualTo("undecryptable");
        assertThat(github.get("isConnected").asBoolean()).isFalse();
        assertThat(find(integrations, "jira").get("status").asText()).isEqualTo("connected");
        assertThat(find(integrations, "jira").get("reason").isNull()).isTrue();
        assertThat(jdbc.queryForMap("select status, last_error from grants where id = ?", broken.id()))
                .containsEntry("status", "reauth_required").containsEntry("last_error", "undecryptable");
        assertThat(jdbc.queryForList("select detail from grant_events where grant_id = ? and event = 'reauth_required'", String.class, broken.id()))
                .as("marked when first seen, once").containsExactly("undecryptable");
    }

    @Test
    void theTokenEndpointAnswers409ForItAndServesTheOtherTools() {
        HttpResponse<String> token = internalToken("u1", "github", false);

        assertThat(token.statusCode()).isEqualTo(409);
        assertThat(json(token).get("error").asText()).isEqualTo("reauth_required");
        assertThat(json(token).get("message").asText()).contains("undecryptable");
        assertThat(internalToken("u1", "jira", false).statusCode()).isEqualTo(200);
        assertThat(internalToken("u1", "github", true).statusCode()).as("forced refresh too").isEqualTo(409);
        providers.verify(exactly(0), anyRequestedFor(urlPathMatching("/github/.*")));
    }

    @Test
    void validateReportsItInvalidWithItsReasonAndValidatesTheOthers() {
        providers.stubFor(get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[{\"id\":\"cloud-1\"}]")));

        HttpResponse<String> response = call("POST", "/api/integrations/validate", jwt);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = json(response).get("results");
        JsonNode github = find(results, "github");
        assertThat(github.get("valid").asBoolean()).isFalse();
        assertThat(github.get("status").asText()).isEqualTo("reauth_required");
        assertThat(github.get("reason").asText()).isEqualTo("undecryptable");
        assertThat(find(results, "jira").get("valid").asBoolean()).isTrue();
        providers.verify(exactly(1), getRequestedFor(urlPathEqualTo("/atlassian/accessible-resources")));
        providers.verify(exactly(0), anyRequestedFor(urlPathMatching("/github/.*")));
    }

    @Test
    void disconnectIsLocalWithRevocationSkipped() {
        HttpResponse<String> response = call("DELETE", "/api/integrations/github", jwt);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("disconnected").asBoolean()).isTrue();
        assertThat(body.get("revocation").asText()).isEqualTo("skipped");
        assertThat(body.get("reason").asText()).isEqualTo("undecryptable");
        assertThat(jdbc.queryForObject("select status from grants where id = ? and deleted_at is not null", String.class, broken.id()))
                .isEqualTo("disconnected");
        providers.verify(exactly(0), anyRequestedFor(urlPathMatching("/github/.*")));
        assertThat(find(json(call("GET", "/api/integrations", jwt)).get("integrations"), "jira").get("status").asText()).isEqualTo("connected");
    }
}
