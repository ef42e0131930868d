package dev.oauthbroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * The OAuth operations an operator watches, each driven over HTTP against WireMock providers: a
 * consent (authorize, callback, complete), a refresh that succeeds on its third attempt, a dead
 * grant, a disconnect with revocation and a validation. Shared by the metrics and log tests.
 */
public abstract class OperatorFlows extends BrokerIntegrationTest {

    /**
     * One request to WireMock from here first: its first answer in a cold JVM (class loading on a
     * busy machine) can outlast the test profile's provider read timeout.
     */
    @BeforeEach
    void warmUpProviders() {
        providers.stubFor(post(urlPathEqualTo("/warm-up")).willReturn(canned(200, "google/refresh-ok.json")));
        send(HttpRequest.newBuilder(URI.create(providers.baseUrl() + "/warm-up")).POST(HttpRequest.BodyPublishers.ofString("x=1"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30)).build());
        providers.resetRequests();
    }

    /** GitHub connected through the whole consent flow; answers the completion. */
    protected HttpResponse<String> connectGithub(String user) {
        stubToken("/github/token", 200, "github/token-ok.json");
        HttpResponse<String> authorize = call("POST", "/api/integrations/github/authorize", TestUsers.jwt(user));
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(200);
        String state = queryParam(json(authorize).get("authUrl").asText(), "state");
        HttpResponse<String> callback = call("GET", "/oauth/callback?code=auth-code-SECRET-1&state=" + state, null);
        assertThat(callback.statusCode()).isEqualTo(302);
        HttpResponse<String> completed = complete(queryParam(callback.headers().firstValue("Location").orElseThrow(), "pending"), TestUsers.jwt(user));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        return completed;
    }

    /** An expired Google grant refreshed on the third attempt (503, 500, then 200). */
    protected void refreshGoogleAfterTwoFailures(String user) {
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("third"));
        providers.stubFor(post(urlPathEqualTo("/google/token")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(canned(200, "google/refresh-ok.json")));
        connected(user, "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);
        assertThat(internalToken(user, "google_workspace", false).statusCode()).isEqualTo(200);
    }

    /** An expired Atlassian grant whose refresh token the provider says is dead. */
    protected void refreshDeadAtlassianGrant(String user) {
        stubToken("/atlassian/token", 400, "atlassian/invalid-grant.json");
        connected(user, "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-dead", -10L);
        assertThat(internalToken(user, "jira", false).statusCode()).isNotEqualTo(200);
    }

    /** Disconnects the user's GitHub; the provider confirms the revocation. */
    protected void disconnectGithub(String user) {
        providers.stubFor(delete(urlPathEqualTo("/github/applications/github-client-id/grant")).willReturn(aResponse().withStatus(204)));
        HttpResponse<String> disconnected = call("DELETE", "/api/integrations/github", TestUsers.jwt(user));
        assertThat(disconnected.statusCode()).as(disconnected.body()).isEqualTo(200);
        assertThat(json(disconnected).get("revocation").asText()).isEqualTo("revoked");
    }

    /** Validates the user's connections; Google's identity endpoint accepts the refreshed token. */
    protected void validate(String user) {
        providers.stubFor(get(urlPathEqualTo("/google/userinfo")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"sub\":\"1\"}")));
        HttpResponse<String> validated = call("POST", "/api/integrations/validate", TestUsers.jwt(user));
        assertThat(validated.statusCode()).as(validated.body()).isEqualTo(200);
    }

    protected static String queryParam(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }
}
