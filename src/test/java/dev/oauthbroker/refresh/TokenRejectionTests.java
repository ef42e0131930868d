package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.grant.Grant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/users/{userId}/tokens/{toolType}/rejected}: a backend reports the token a
 * provider's API refused; the broker refreshes only while it is the stored one.
 */
class TokenRejectionTests extends BrokerIntegrationTest {

    @Test
    void aTokenTheApiRejectedIsReportedRefreshedOnceAndTheNewOneWorks() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        providers.stubFor(get(urlPathEqualTo("/atlassian/api/issue")).withHeader("Authorization", equalTo("Bearer at-SECRET-old"))
                .willReturn(aResponse().withStatus(401)));
        providers.stubFor(get(urlPathEqualTo("/atlassian/api/issue")).withHeader("Authorization", equalTo("Bearer eyJ-SECRET-atlassian-access"))
                .willReturn(okJson("{\"key\":\"PROJ-1\"}")));
        Grant grant = issuedAnHourAgo(connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", 3600L));

        String token = json(internalToken("u1", "jira", false)).get("accessToken").asText();
        assertThat(callApi(token).statusCode()).as("the user revoked the app: the API refuses the token").isEqualTo(401);
        HttpResponse<String> reported = reportRejected(port, "u1", "jira", token);

        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(200);
        assertThat(reported.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(reported).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atlassian-access");
        assertThat(json(reported).get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(callApi(json(reported).get("accessToken").asText()).statusCode()).isEqualTo(200);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(events(grant)).containsExactly("connected", "token_rejected", "refreshed");
        assertThat(jdbc.queryForObject("select detail from grant_events where grant_id = ? and event = 'token_rejected'", String.class, grant.id()))
                .isEqualTo("refreshing");

        // a second backend that got the same 401 later: the token was replaced, no second refresh, no second event
        HttpResponse<String> late = reportRejected(port, "u1", "confluence", token);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(json(late).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(events(grant)).containsExactly("connected", "token_rejected", "refreshed");
        assertThat(LogCapture.serviceLines()).noneMatch(line -> line.contains("at-SECRET-old") || line.contains("eyJ-SECRET"));
    }

    @Test
    void aReportOfATokenAlreadyReplacedAnswersTheCurrentOneWithoutCallingTheProvider() {
        Grant grant = issuedAnHourAgo(connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-current", "1//SECRET-rt", 3600L));

        HttpResponse<String> response = reportRejected(port, "u1", "google_workspace", "ya29.SECRET-previous");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(response).get("accessToken").asText()).isEqualTo("ya29.SECRET-current");
        assertThat(providers.getAllServeEvents()).isEmpty();
        assertThat(events(grant)).containsExactly("connected");
    }

    @Test
    void aRefreshAnsweringInvalidGrantMakesTheGrantReauthRequired() {
        stubToken("/atlassian/token", 400, "atlassian/invalid-grant.json");
        Grant grant = issuedAnHourAgo(connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", 3600L));

        HttpResponse<String> response = reportRejected(port, "u1", "jira", "at-SECRET-old");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("reauth_required");
        assertThat(response.body()).doesNotContain("SECRET");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(stored(grant)).containsEntry("status", "reauth_required").containsEntry("last_error", "invalid_grant");
        assertThat(events(grant)).containsExactly("connected", "token_rejected", "reauth_required");
        assertThat(reportRejected(port, "u1", "jira", "at-SECRET-old").statusCode()).as("dead stays dead, no new call").isEqualTo(409);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aGrantWithoutARefreshTokenIsMarkedReauthRequiredWithReasonRejectedAtOnce() {
        Grant grant = issuedAnHourAgo(connected("u1", "github", List.of("github"), "gho_SECRET-token", null, null));

        HttpResponse<String> response = reportRejected(port, "u1", "github", "gho_SECRET-token");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("reauth_required");
        assertThat(json(response).get("message").asText()).contains("(rejected)");
        assertThat(providers.getAllServeEvents()).isEmpty();
        assertThat(stored(grant)).containsEntry("status", "reauth_required").containsEntry("last_error", "rejected");
        assertThat(events(grant)).containsExactly("connected", "token_rejected", "reauth_required");
        assertThat(json(internalToken("u1", "github", false)).get("error").asText()).isEqualTo("reauth_required");
    }

    @Test
    void aTokenJustIssuedIsNotRefreshedAgainInALoop() {
        Grant grant = connected("u1", "atlassian", List.of("jira"), "at-SECRET-fresh", "rt-SECRET", 3600L);

        HttpResponse<String> first = reportRejected(port, "u1", "jira", "at-SECRET-fresh");
        HttpResponse<String> second = reportRejected(port, "u1", "jira", "at-SECRET-fresh");

        for (HttpResponse<String> response : List.of(first, second)) {
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(json(response).get("error").asText()).isEqualTo("token_rejected");
            assertThat(json(response).get("message").asText()).contains("not refreshed again", "grace 10.0s").doesNotContain("SECRET");
        }
        assertThat(providers.getAllServeEvents()).isEmpty();
        assertThat(stored(grant)).containsEntry("status", "active").containsEntry("token_version", 1L);
        assertThat(events(grant)).as("one event per rejected token, not per report").containsExactly("connected", "token_rejected");
        assertThat(jdbc.queryForObject("select detail from grant_events where grant_id = ? and event = 'token_rejected'", String.class, grant.id()))
                .contains("within the grace of 10.0s: not refreshed");
    }

    @Test
    void aRefreshThatAnswersTheRejectedTokenAgainIsNotHandedOut() {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token"))
                .willReturn(okJson("{\"access_token\":\"at-SECRET-same\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        issuedAnHourAgo(connected("u1", "atlassian", List.of("jira"), "at-SECRET-same", "rt-SECRET", 3600L));

        HttpResponse<String> response = reportRejected(port, "u1", "jira", "at-SECRET-same");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("token_rejected");
        assertThat(response.body()).doesNotContain("SECRET");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aProviderThatCannotRefreshAnswers503AndKeepsTheGrant() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(aResponse().withStatus(503)));
        Grant grant = issuedAnHourAgo(connected("u1", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", 3600L));

        HttpResponse<String> response = reportRejected(port, "u1", "google_workspace", "ya29.SECRET-old");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("provider_unavailable");
        assertThat(response.body()).doesNotContain("SECRET");
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(stored(grant)).containsEntry("status", "active").containsEntry("last_error", "http_503");
    }

    @Test
    void badBodiesAnUnknownToolOrConnectionAndNoKeyChangeNothing() {
        Grant grant = issuedAnHourAgo(connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET", 3600L));
        for (String body : List.of("", "not json", "{}", "[\"at-SECRET-old\"]", "{\"accessToken\":\"\"}", "{\"accessToken\":42}",
                "{\"access_token\":\"at-SECRET-old\"}", "{\"accessToken\":\"" + "x".repeat(20_000) + "\"}")) {
            HttpResponse<String> response = send(report(port, "u1", "jira", body).build());
            assertThat(response.statusCode()).as(body.length() > 50 ? "a long token" : body).isEqualTo(400);
            assertThat(json(response).get("error").asText()).isEqualTo("invalid_request");
            assertThat(response.body()).doesNotContain("SECRET");
        }
        HttpResponse<String> tooLarge = send(report(port, "u1", "jira", "{\"accessToken\":\"" + "x".repeat(70_000) + "\"}").build());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(reportRejected(port, "u1", "zoom-nope", "at-SECRET-old")).get("error").asText()).isEqualTo("unknown_tool");
        HttpResponse<String> notConnected = reportRejected(port, "u2", "jira", "at-SECRET-old");
        assertThat(notConnected.statusCode()).isEqualTo(404);
        assertThat(json(notConnected).get("error").asText()).isEqualTo("not_connected");
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/u1/tokens/jira/rejected"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"at-SECRET-old\"}")).build());
        assertThat(noKey.statusCode()).isEqualTo(401);

        assertThat(providers.getAllServeEvents()).isEmpty();
        assertThat(events(grant)).containsExactly("connected");
        assertThat(stored(grant)).containsEntry("status", "active").containsEntry("token_version", 1L);
    }

    /** The report a backend sends after its provider answered 401 to {@code accessToken}. */
    static HttpResponse<String> reportRejected(int port, String user, String tool, String accessToken) {
        return send(report(port, user, tool, "{\"accessToken\":\"" + accessToken + "\"}").build());
    }

    static HttpRequest.Builder report(int port, String user, String tool, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/internal/users/" + user + "/tokens/" + tool + "/rejected"))
                .header("X-Broker-Key", SERVICE_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
    }

    /** A grant whose token was issued an hour ago (outside the loop guard's grace), not yet due for refresh. */
    private Grant issuedAnHourAgo(Grant grant) {
        jdbc.update("update grants set connected_at = now() - interval '1 hour' where id = ?", grant.id());
        return grantStore.find(grant.id()).orElseThrow();
    }

    private HttpResponse<String> callApi(String token) {
        return send(HttpRequest.newBuilder(URI.create(providers.baseUrl() + "/atlassian/api/issue"))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private List<String> events(Grant grant) {
        return jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id());
    }

    private Map<String, Object> stored(Grant grant) {
        return jdbc.queryForMap("select status, last_error, token_version from grants where id = ?", grant.id());
    }
}
