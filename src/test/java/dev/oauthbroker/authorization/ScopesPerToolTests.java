package dev.oauthbroker.authorization;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.oauthbroker.authorization.ConnectFlowTests.pendingOf;
import static dev.oauthbroker.authorization.ConnectFlowTests.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import dev.oauthbroker.grant.Grant;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Scopes per tool (issue 18, deliverable 2): the provider's answer says what it granted; a tool
 * whose catalogue scopes are not all granted is missing_scopes while its siblings stay connected,
 * its token request is refused with the list, and Grant access upgrades the same grant.
 */
class ScopesPerToolTests extends BrokerIntegrationTest {

    static final String CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";
    static final String DRIVE = "https://www.googleapis.com/auth/drive.readonly";

    final String alice = TestUsers.jwt("alice");

    @Test
    void atlassianGrantingJiraButNotConfluenceLeavesJiraConnectedAndConfluenceMissingScopes() {
        answerToken("/atlassian/token", "eyJ-SECRET-atl-1", "offline_access read:me jira:read");

        complete(pendingOf(callback(stateOf(authorize("/api/buckets/atlassian/authorize")))), alice);

        assertThat(jdbc.queryForObject("select scopes from grants where user_id = 'alice'", String.class))
                .isEqualTo("offline_access read:me jira:read");
        JsonNode integrations = json(call("GET", "/api/integrations", alice)).get("integrations");
        JsonNode jira = find(integrations, "jira");
        JsonNode confluence = find(integrations, "confluence");
        assertThat(jira.get("status").asText()).isEqualTo("connected");
        assertThat(jira.get("isConnected").asBoolean()).isTrue();
        assertThat(jira.get("missingScopes")).isEmpty();
        assertThat(confluence.get("status").asText()).isEqualTo("missing_scopes");
        assertThat(confluence.get("isConnected").asBoolean()).isFalse();
        assertThat(texts(confluence.get("missingScopes"))).containsExactly("confluence:read");
        assertThat(texts(confluence.get("scopes"))).containsExactly("offline_access", "read:me", "jira:read");

        HttpResponse<String> jiraToken = internalToken("alice", "jira", false);
        assertThat(jiraToken.statusCode()).isEqualTo(200);
        HttpResponse<String> confluenceToken = internalToken("alice", "confluence", false);
        assertThat(confluenceToken.statusCode()).isEqualTo(409);
        assertThat(json(confluenceToken).get("error").asText()).isEqualTo("missing_scopes");
        assertThat(json(confluenceToken).get("message").asText()).isNotBlank().doesNotContain("SECRET");
        assertThat(texts(json(confluenceToken).get("missing"))).containsExactly("confluence:read");
        assertThat(confluenceToken.body()).doesNotContain("SECRET");
    }

    @Test
    void googleGrantAccessAsksForTheMissingScopeOnlyAndUpdatesTheSameGrant() {
        answerToken("/google/token", "ya29.SECRET-first", "openid " + CALENDAR + " https://www.googleapis.com/auth/userinfo.email");
        complete(pendingOf(callback(stateOf(authorize("/api/integrations/google_workspace/authorize")))), alice);
        UUID grantId = jdbc.queryForObject("select id from grants where user_id = 'alice'", UUID.class);
        JsonNode before = find(json(call("GET", "/api/integrations", alice)).get("integrations"), "google_workspace");
        assertThat(before.get("status").asText()).isEqualTo("missing_scopes");
        assertThat(texts(before.get("missingScopes"))).containsExactly(DRIVE);
        assertThat(internalToken("alice", "google_workspace", false).statusCode()).isEqualTo(409);

        Map<String, String> grantAccess = authorize("/api/integrations/google_workspace/authorize");

        assertThat(grantAccess.get("scope")).as("only what is missing").isEqualTo(DRIVE);
        assertThat(grantAccess).containsEntry("include_granted_scopes", "true");
        assertThat(jdbc.queryForObject("select upgrade_grant from oauth_states", UUID.class)).isEqualTo(grantId);

        answerToken("/google/token", "ya29.SECRET-second", "openid " + CALENDAR + " " + DRIVE + " https://www.googleapis.com/auth/userinfo.email");
        HttpResponse<String> completed = complete(pendingOf(callback(grantAccess.get("state"))), alice);

        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(texts(json(completed).get("tools"))).containsExactly("google_workspace");
        assertThat(jdbc.queryForList("select id from grants where user_id = 'alice'", UUID.class)).containsExactly(grantId);
        assertThat(jdbc.queryForList("select grant_id from grant_tools where user_id = 'alice' and detached_at is null", UUID.class))
                .containsExactly(grantId);
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grantId))
                .containsExactly("connected", "scopes_changed");
        assertThat(jdbc.queryForObject("select detail from grant_events where event = 'scopes_changed'", String.class))
                .isEqualTo("Grant access: granted: " + DRIVE + "; no longer granted: -");
        JsonNode after = find(json(call("GET", "/api/integrations", alice)).get("integrations"), "google_workspace");
        assertThat(after.get("status").asText()).isEqualTo("connected");
        assertThat(after.get("missingScopes")).isEmpty();
        HttpResponse<String> token = internalToken("alice", "google_workspace", false);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(json(token).get("accessToken").asText()).isEqualTo("ya29.SECRET-second");
    }

    @Test
    void atlassianGrantAccessAsksForTheFullSetAgainAndKeepsBothToolsOnTheSameGrant() {
        answerToken("/atlassian/token", "eyJ-SECRET-atl-1", "offline_access read:me jira:read");
        complete(pendingOf(callback(stateOf(authorize("/api/buckets/atlassian/authorize")))), alice);
        UUID grantId = jdbc.queryForObject("select id from grants where user_id = 'alice'", UUID.class);

        Map<String, String> grantAccess = authorize("/api/integrations/confluence/authorize");
        assertThat(grantAccess.get("scope").split(" ")).containsExactly("offline_access", "read:me", "jira:read", "confluence:read");
        assertThat(grantAccess).doesNotContainKey("include_granted_scopes");

        // an answer without scope: RFC 6749 §5.1, what was asked
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(okJson(
                "{\"access_token\":\"eyJ-SECRET-atl-2\",\"refresh_token\":\"eyJ-SECRET-atl-rt-2\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        assertThat(complete(pendingOf(callback(grantAccess.get("state"))), alice).statusCode()).isEqualTo(200);

        Grant grant = grantStore.find(grantId).orElseThrow();
        assertThat(jdbc.queryForObject("select count(*) from grants where user_id = 'alice'", Integer.class)).isEqualTo(1);
        assertThat(grant.tools()).containsExactly("confluence", "jira");
        assertThat(grant.scopes()).containsExactly("offline_access", "read:me", "jira:read", "confluence:read");
        assertThat(grant.refreshToken()).isEqualTo("eyJ-SECRET-atl-rt-2");
        assertThat(json(internalToken("alice", "confluence", false)).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atl-2");
        assertThat(json(internalToken("alice", "jira", false)).get("accessToken").asText()).isEqualTo("eyJ-SECRET-atl-2");
    }

    @Test
    void aGrantAccessFlowCompletedByAnotherUserIsRefusedAndLeavesTheGrantAsItWas() {
        answerToken("/atlassian/token", "eyJ-SECRET-atl-1", "offline_access read:me jira:read");
        complete(pendingOf(callback(stateOf(authorize("/api/buckets/atlassian/authorize")))), alice);
        Grant before = grantStore.findByUserTool("alice", "jira").orElseThrow();
        String pending = pendingOf(callback(authorize("/api/integrations/confluence/authorize").get("state")));

        HttpResponse<String> foreign = complete(pending, TestUsers.jwt("mallory"));

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).get("error").asText()).isEqualTo("foreign_flow");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        Grant after = grantStore.find(before.id()).orElseThrow();
        assertThat(after.tokenVersion()).isEqualTo(before.tokenVersion());
        assertThat(after.scopes()).isEqualTo(before.scopes());
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isEqualTo(1);
    }

    @Test
    void aConnectedToolsAuthorizeIsANewConsentNotAGrantAccess() {
        answerToken("/atlassian/token", "eyJ-SECRET-atl-1", "offline_access read:me jira:read");
        complete(pendingOf(callback(stateOf(authorize("/api/buckets/atlassian/authorize")))), alice);

        Map<String, String> jira = authorize("/api/integrations/jira/authorize");

        assertThat(jira.get("scope").split(" ")).containsExactly("offline_access", "read:me", "jira:read");
        assertThat(jdbc.queryForObject("select count(*) from oauth_states where upgrade_grant is not null", Integer.class)).isZero();
    }

    @Test
    void aRefreshAnswerWithANarrowerScopeUpdatesTheGrantedSet() {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", 3600L);
        answerToken("/atlassian/token", "eyJ-SECRET-narrowed", "offline_access read:me jira:read");

        HttpResponse<String> jira = internalToken("alice", "jira", true);

        assertThat(jira.statusCode()).isEqualTo(200);
        assertThat(json(jira).get("accessToken").asText()).isEqualTo("eyJ-SECRET-narrowed");
        assertThat(grantStore.find(grant.id()).orElseThrow().scopes()).containsExactly("offline_access", "read:me", "jira:read");
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "refreshed", "scopes_changed");
        HttpResponse<String> confluence = internalToken("alice", "confluence", false);
        assertThat(confluence.statusCode()).isEqualTo(409);
        assertThat(texts(json(confluence).get("missing"))).containsExactly("confluence:read");
        assertThat(find(json(call("GET", "/api/integrations", alice)).get("integrations"), "confluence").get("status").asText())
                .isEqualTo("missing_scopes");

        // a refresh answer without scope keeps the granted set (RFC 6749 §5.1)
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(okJson(
                "{\"access_token\":\"eyJ-SECRET-again\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        assertThat(internalToken("alice", "jira", true).statusCode()).isEqualTo(200);
        providers.verify(exactly(2), postRequestedFor(urlPathEqualTo("/atlassian/token")).withRequestBody(containing("grant_type=refresh_token")));
        assertThat(grantStore.find(grant.id()).orElseThrow().scopes()).containsExactly("offline_access", "read:me", "jira:read");
    }

    @Test
    void validationSaysTheGrantWorksButTheToolLackingScopesIsNotUsable() {
        providers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/atlassian/accessible-resources")).willReturn(okJson("[]")));
        grantStore.connect("alice", "atlassian", List.of("jira", "confluence"), new dev.oauthbroker.grant.TokenSet(
                "at-SECRET-v", "rt-SECRET-v", "Bearer", 3600L, List.of("offline_access", "read:me", "jira:read")));

        JsonNode results = json(call("POST", "/api/integrations/validate", alice)).get("results");

        assertThat(find(results, "jira").get("valid").asBoolean()).isTrue();
        assertThat(find(results, "jira").get("status").asText()).isEqualTo("connected");
        assertThat(find(results, "confluence").get("valid").asBoolean()).isFalse();
        assertThat(find(results, "confluence").get("status").asText()).isEqualTo("missing_scopes");
        assertThat(find(results, "confluence").get("reason").asText()).isEqualTo("missing_scopes");
        assertThat(jdbc.queryForObject("select status from grants where user_id = 'alice'", String.class)).as("the grant itself is fine").isEqualTo("active");
    }

    @Test
    void aGithubAnswerWithEmptyScopeStoresWhatWasAsked() {
        providers.stubFor(post(urlPathEqualTo("/github/token")).willReturn(okJson(
                "{\"access_token\":\"ghu_SECRET_app\",\"expires_in\":28800,\"refresh_token\":\"ghr_SECRET_app\",\"scope\":\"\",\"token_type\":\"bearer\"}")));

        complete(pendingOf(callback(stateOf(authorize("/api/integrations/github/authorize")))), alice);

        assertThat(jdbc.queryForObject("select scopes from grants where user_id = 'alice'", String.class)).isEqualTo("repo read:user");
        assertThat(internalToken("alice", "github", false).statusCode()).isEqualTo(200);
    }

    private void answerToken(String path, String accessToken, String scope) {
        providers.stubFor(post(urlPathEqualTo(path)).willReturn(okJson("{\"access_token\":\"" + accessToken
                + "\",\"refresh_token\":\"rt-SECRET-" + accessToken.hashCode() + "\",\"expires_in\":3600,\"token_type\":\"Bearer\",\"scope\":\""
                + scope + "\"}")));
    }

    private Map<String, String> authorize(String path) {
        HttpResponse<String> response = call("POST", path, alice);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return query(json(response).get("authUrl").asText());
    }

    private static String stateOf(Map<String, String> authorizeUrl) {
        return authorizeUrl.get("state");
    }

    private HttpResponse<String> callback(String state) {
        return call("GET", "/oauth/callback?code=c&state=" + state, null);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
