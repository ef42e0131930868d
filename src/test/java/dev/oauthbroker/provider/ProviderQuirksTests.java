package dev.oauthbroker.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider quirks written as catalogue data (no Java special case), each against the answer the
 * provider documents:
 * <ul>
 * <li>Slack nests the user token under {@code authed_user} in the code exchange and answers a
 * refresh at the top level (docs.slack.dev/authentication/using-token-rotation; oauth.v2.access
 * reference) — {@code tokenFields};</li>
 * <li>Figma's errors are {@code {"error": true, "status": 400, "message": …}}
 * (github.com/figma/rest-api-spec, ErrorResponsePayloadWithErrorBoolean) — {@code errorFlagField},
 * {@code descriptionField};</li>
 * <li>Google answers the revocation of an already revoked token 400 {@code invalid_token}
 * (developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke) —
 * {@code alreadyRevokedCodes}.</li>
 * </ul>
 */
class ProviderQuirksTests extends BrokerIntegrationTest {

    @Test
    void slacksRefreshAnswersTheUserTokenAtTheTopLevelAndItIsStored() {
        stubToken("/slack/token", 200, "slack/refresh-ok.json");
        Grant grant = connected("u1", "slack", List.of("slack"), "xoxe.xoxp-SECRET-old", "xoxe-1-SECRET-rt", -10L);

        HttpResponse<String> response = internalToken("u1", "slack", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accessToken").asText()).isEqualTo("xoxe.xoxp-SECRET-slack-refreshed");
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.refreshToken()).isEqualTo("xoxe-1-SECRET-slack-refresh-2");
        assertThat(stored.scopes()).containsExactly("channels:history", "channels:read", "users:read");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/slack/token")));
    }

    @Test
    void figmasErrorTrueWithAnInvalidTokenMessageIsADeadGrantNeverRetried() {
        stubToken("/figma/refresh", 400, "figma/invalid-refresh-token.json");
        Grant grant = connected("u1", "figma", List.of("figma"), "figd_SECRET-old", "figr_SECRET-rt", -10L);

        HttpResponse<String> response = internalToken("u1", "figma", false);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("reauth_required");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/figma/refresh")));
        assertThat(grantStore.find(grant.id()).orElseThrow().lastError()).contains("invalid");
    }

    @Test
    void googlesAlreadyRevokedAnswerCountsAsRevokedAndAnyOther400AsFailed() {
        providers.stubFor(post(urlPathEqualTo("/google/revoke")).willReturn(canned(400, "google/revoke-invalid-token.json")));
        connected("u1", "google", List.of("google_workspace"), "ya29-SECRET", "1//SECRET-rt", 3600L);

        JsonNode revoked = json(call("DELETE", "/api/integrations/google_workspace", TestUsers.jwt("u1")));

        assertThat(revoked.get("revocation").asText()).isEqualTo("revoked");

        providers.stubFor(post(urlPathEqualTo("/google/revoke")).willReturn(okJsonWithStatus(400, "{\"error\":\"invalid_request\"}")));
        connected("u2", "google", List.of("google_workspace"), "ya29-SECRET-2", "1//SECRET-rt-2", 3600L);

        assertThat(json(call("DELETE", "/api/integrations/google_workspace", TestUsers.jwt("u2"))).get("revocation").asText()).isEqualTo("failed");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJsonWithStatus(int status, String body) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
