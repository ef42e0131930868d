package dev.oauthbroker.authorization;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConnectFlowTests extends BrokerIntegrationTest {

    static final String ALICE = "alice";
    final String aliceJwt = TestUsers.jwt(ALICE);

    @Test
    void bucketAuthorizeBuildsTheProvidersUrlAndKeepsTheRequestServerSide() {
        Map<String, String> url = authorize("/api/buckets/atlassian/authorize");

        assertThat(url.get("_path")).isEqualTo("/atlassian/authorize");
        assertThat(url).containsEntry("response_type", "code")
                .containsEntry("client_id", "atlassian-client-id")
                .containsEntry("redirect_uri", baseUrl() + "/oauth/callback")
                .containsEntry("audience", "api.atlassian.com")
                .containsEntry("prompt", "consent")
                .doesNotContainKey("code_challenge");
        assertThat(url.get("scope").split(" ")).containsExactly("offline_access", "read:me", "jira:read", "confluence:read");
        assertThat(url.get("state")).hasSizeGreaterThanOrEqualTo(43);
        Map<String, Object> row = jdbc.queryForMap("select user_id, provider, array_to_string(tools, ',') as tools, bucket, code_verifier from oauth_states");
        assertThat(row).containsEntry("user_id", ALICE).containsEntry("provider", "atlassian")
                .containsEntry("tools", "jira,confluence").containsEntry("bucket", "atlassian");
        assertThat(row.get("code_verifier")).isNull();
    }

    @Test
    void pkceProvidersGetAnS256ChallengeAndTheVerifierIsStoredEncrypted() {
        Map<String, String> url = authorize("/api/integrations/google_workspace/authorize");

        assertThat(url).containsEntry("code_challenge_method", "S256").containsEntry("access_type", "offline").containsEntry("prompt", "consent");
        byte[] stored = jdbc.queryForObject("select code_verifier from oauth_states", byte[].class);
        assertThat(stored).isNotNull();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(url.get("code_challenge"));
        Map<String, String> microsoft = authorize("/api/buckets/microsoft/authorize");
        assertThat(microsoft).containsKey("code_challenge");
        assertThat(microsoft.get("scope")).contains("offline_access");
    }

    @Test
    void unknownToolOrBucketIs404AndAnUnconfiguredProviderIs409() {
        HttpResponse<String> tool = call("POST", "/api/integrations/notion/authorize", aliceJwt);
        assertThat(tool.statusCode()).isEqualTo(404);
        assertThat(json(tool).get("error").asText()).isEqualTo("unknown_tool");
        assertThat(call("POST", "/api/buckets/nope/authorize", aliceJwt).statusCode()).isEqualTo(404);
        HttpResponse<String> gitlab = call("POST", "/api/buckets/gitlab/authorize", aliceJwt);
        assertThat(gitlab.statusCode()).isEqualTo(409);
        assertThat(json(gitlab).get("error").asText()).isEqualTo("provider_unavailable");
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
    }

    @Test
    void groupConsentStoresOneGrantServingAllItsToolsAndRedirectsToTheFrontend() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        String state = authorize("/api/buckets/atlassian/authorize").get("state");

        HttpResponse<String> callback = callback("code=auth-code-1&state=" + state, null);

        assertThat(callback.statusCode()).isEqualTo(302);
        assertThat(callback.headers().firstValue("Location").orElseThrow()).matches(java.util.regex.Pattern.quote(baseUrl() + "/integrations/callback?pending=") + "[A-Za-z0-9_-]{43}");
        assertThat(callback.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(providers.getAllServeEvents()).as("the callback alone exchanges nothing").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();

        HttpResponse<String> completed = complete(pendingOf(callback), aliceJwt);

        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(json(completed).get("success").asBoolean()).isTrue();
        assertThat(json(completed).get("tools")).extracting(JsonNode::asText).containsExactly("jira", "confluence");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token"))
                .withRequestBody(containing("grant_type=authorization_code"))
                .withRequestBody(containing("code=auth-code-1"))
                .withRequestBody(containing("redirect_uri=" + java.net.URLEncoder.encode(baseUrl() + "/oauth/callback", StandardCharsets.UTF_8)))
                .withRequestBody(containing("client_secret=atlassian-client-secret-value")));
        assertThat(jdbc.queryForList("select user_id from grants", String.class)).as("one grant, for the user the state was issued to").containsExactly(ALICE);
        assertThat(jdbc.queryForList("select tool from grant_tools order by tool", String.class)).containsExactly("confluence", "jira");
        assertThat(jdbc.queryForObject("select count(distinct grant_id) from grant_tools", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForList("select event from grant_events", String.class)).containsExactly("connected");
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).as("state and pending flow consumed").isZero();
    }

    @Test
    void theTokenRequestCarriesTheVerifierOfTheChallengeAndTheVerifierIsGoneAfterwards() {
        stubToken("/google/token", 200, "google/token-ok.json");
        Map<String, String> url = authorize("/api/integrations/google_workspace/authorize");

        assertThat(complete(pendingOf(callback("code=c&state=" + url.get("state"), null)), aliceJwt).statusCode()).isEqualTo(200);

        List<LoggedRequest> requests = providers.findAll(postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(requests).hasSize(1);
        String verifier = form(requests.get(0).getBodyAsString()).get("code_verifier");
        assertThat(verifier).matches("[A-Za-z0-9_-]{43}");
        assertThat(S256CodeChallenge.challengeOf(verifier)).isEqualTo(url.get("code_challenge"));
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select expires_at is not null from grants", Boolean.class)).isTrue();
    }

    @Test
    void missingForgedReplayedAndExpiredStatesAreRejectedAndStoreNothing() {
        stubToken("/github/token", 200, "github/token-ok.json");
        assertRejected(callback("code=c", null), "invalid_state");
        assertRejected(callback("code=c&state=" + S256CodeChallenge.randomUrlSafe(32), null), "invalid_state");

        String expired = authorize("/api/integrations/github/authorize").get("state");
        jdbc.update("update oauth_states set created_at = now() - interval '11 minutes'");
        assertRejected(callback("code=c&state=" + expired, null), "expired_state");
        assertRejected(callback("code=c&state=" + expired, null), "invalid_state");

        String used = authorize("/api/integrations/github/authorize").get("state");
        HttpResponse<String> first = callback("code=c&state=" + used, null);
        assertRejected(callback("code=c&state=" + used, null), "invalid_state");
        assertThat(complete(pendingOf(first), aliceJwt).statusCode()).isEqualTo(200);

        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/github/token")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isEqualTo(1);
    }

    @Test
    void aFreshStateIsAcceptedJustInsideTheTenMinutes() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String state = authorize("/api/integrations/github/authorize").get("state");
        jdbc.update("update oauth_states set created_at = now() - interval '9 minutes 30 seconds'");
        assertThat(callback("code=c&state=" + state, null).headers().firstValue("Location").orElseThrow()).contains("pending=");
    }

    @Test
    void providerErrorsRedirectWithTheirCodeAndAHumanMessageAndStoreNothing() {
        String denied = authorize("/api/integrations/github/authorize").get("state");
        HttpResponse<String> response = callback("error=access_denied&error_description=The+user+denied&state=" + denied, null);
        Map<String, String> location = query(response.headers().firstValue("Location").orElseThrow());
        assertThat(location).containsEntry("success", "false").containsEntry("error", "access_denied");
        assertThat(location.get("message")).as("the provider's description is never echoed").doesNotContain("The user denied");
        assertThat(location.get("message")).startsWith("You declined access");

        String admin = authorize("/api/buckets/microsoft/authorize").get("state");
        Map<String, String> adminLocation = query(callback("error=admin_consent_required&state=" + admin, null).headers().firstValue("Location").orElseThrow());
        assertThat(adminLocation).containsEntry("error", "admin_consent_required");
        assertThat(adminLocation.get("message")).startsWith("Your administrator must approve");

        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).as("states consumed").isZero();
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void anIssuerOtherThanTheStatesProviderIsRejected() {
        stubToken("/google/token", 200, "google/token-ok.json");
        String state = authorize("/api/integrations/google_workspace/authorize").get("state");
        assertRejected(callback("code=c&iss=https%3A%2F%2Fevil.example.com&state=" + state, null), "issuer_mismatch");

        String good = authorize("/api/integrations/google_workspace/authorize").get("state");
        assertThat(callback("code=c&iss=" + providers.baseUrl() + "&state=" + good, null).headers().firstValue("Location").orElseThrow())
                .contains("pending=");
    }

    @Test
    void twoConcurrentCallbacksWithOneStateMakeOneGrant() throws Exception {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        String state = authorize("/api/buckets/atlassian/authorize").get("state");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> hit = () -> callback("code=c&state=" + state, null).headers().firstValue("Location").orElseThrow();
            List<Future<String>> results = pool.invokeAll(List.of(hit, hit));
            List<String> locations = List.of(results.get(0).get(), results.get(1).get());
            assertThat(locations).filteredOn(l -> l.contains("pending=")).hasSize(1);
            assertThat(locations).filteredOn(l -> l.contains("error=invalid_state")).hasSize(1);
            String pending = query(locations.stream().filter(l -> l.contains("pending=")).findFirst().orElseThrow()).get("pending");
            assertThat(complete(pending, aliceJwt).statusCode()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isEqualTo(1);
    }

    @Test
    void answersInEveryProviderShapeAreNormalised() {
        stubToken("/github/token", 200, "github/token-ok-form.txt");
        connect("/api/integrations/github/authorize");
        Map<String, Object> github = jdbc.queryForMap("select expires_at, refresh_token, scopes from grants where provider = 'github'");
        assertThat(github.get("expires_at")).as("no expires_in = no expiry").isNull();
        assertThat(github.get("refresh_token")).isNull();
        assertThat(github.get("scopes")).isEqualTo("repo read:user");

        stubToken("/slack/token", 200, "slack/token-ok.json");
        connect("/api/integrations/slack/authorize");
        Map<String, Object> slack = jdbc.queryForMap("select expires_at is not null as expires, refresh_token is not null as has_rt, scopes from grants where provider = 'slack'");
        assertThat(slack).containsEntry("expires", true).containsEntry("has_rt", true)
                .containsEntry("scopes", "channels:history channels:read users:read");
        assertThat(grantStore.findByUserTool(ALICE, "slack").orElseThrow().accessToken()).isEqualTo("xoxe.xoxp-SECRET-slack-access");
    }

    @Test
    void errorsWithHttp200AreNotTakenForTokens() {
        stubToken("/slack/token", 200, "slack/invalid-code.json");
        String state = authorize("/api/integrations/slack/authorize").get("state");
        HttpResponse<String> completed = complete(pendingOf(callback("code=c&state=" + state, null)), aliceJwt);
        assertThat(completed.statusCode()).isEqualTo(502);
        assertThat(json(completed).get("error").asText()).isEqualTo("provider_error");
        assertThat(json(completed).get("message").asText()).isEqualTo("The provider refused to issue tokens (invalid_code).");
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
    }

    @Test
    void aReconnectReplacesTheOldGrantWhichIsRevokedAndSoftDeleted() {
        stubToken("/google/token", 200, "google/token-ok.json");
        providers.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/google/revoke"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
        connect("/api/integrations/google_workspace/authorize");
        connect("/api/integrations/google_workspace/authorize");

        assertThat(jdbc.queryForList("select status from grants order by connected_at", String.class)).containsExactly("disconnected", "active");
        assertThat(jdbc.queryForObject("select count(*) from grant_tools where detached_at is null", Integer.class)).isEqualTo(1);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/google/revoke")).withRequestBody(containing("token_type_hint=refresh_token")));
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/google/revoke")).withRequestBody(containing("token_type_hint=access_token")));
    }

    @Test
    void aReconnectReplacesAnUndecryptableGrantWhichIsSoftDeletedWithoutRevocation() {
        stubToken("/google/token", 200, "google/token-ok.json");
        connect("/api/integrations/google_workspace/authorize");
        dropKeyOf(grantStore.listForUser("alice").get(0));

        connect("/api/integrations/google_workspace/authorize");

        assertThat(jdbc.queryForList("select status from grants order by connected_at", String.class)).containsExactly("disconnected", "active");
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'revoked' and detail = 'revocation skipped'", Integer.class))
                .isEqualTo(1);
        providers.verify(exactly(0), postRequestedFor(urlPathEqualTo("/google/revoke")));
        assertThat(internalToken("alice", "google_workspace", false).statusCode()).isEqualTo(200);
    }

    @Test
    void integrationsListEveryToolWithStatusAndNeverAToken() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        connect("/api/buckets/atlassian/authorize");

        HttpResponse<String> response = call("GET", "/api/integrations", aliceJwt);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("SECRET");
        JsonNode integrations = json(response).get("integrations");
        assertThat(integrations).hasSize(15);
        JsonNode jira = find(integrations, "jira");
        assertThat(jira.get("isConnected").asBoolean()).isTrue();
        assertThat(jira.get("status").asText()).isEqualTo("connected");
        assertThat(jira.get("hasRefreshToken").asBoolean()).isTrue();
        assertThat(jira.get("expiresAt").asText()).isNotBlank();
        assertThat(find(integrations, "github").get("status").asText()).isEqualTo("disconnected");

        JsonNode bobs = json(call("GET", "/api/integrations", TestUsers.jwt("bob"))).get("integrations");
        assertThat(find(bobs, "jira").get("isConnected").asBoolean()).as("another user's grant is invisible").isFalse();
        jdbc.update("update grants set expires_at = now() + interval '2 minutes', connected_at = now() - interval '58 minutes'");
        assertThat(find(json(call("GET", "/api/integrations", aliceJwt)).get("integrations"), "jira").get("status").asText()).isEqualTo("expiring");
        jdbc.update("update grants set status = 'reauth_required'");
        assertThat(find(json(call("GET", "/api/integrations", aliceJwt)).get("integrations"), "confluence").get("status").asText()).isEqualTo("reauth_required");
    }

    @Test
    void theDatabaseNeverHoldsATokenInPlaintext() {
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        connect("/api/buckets/atlassian/authorize");
        Map<String, Object> raw = jdbc.queryForMap("select access_token, refresh_token from grants");
        for (Object column : raw.values()) {
            String text = new String((byte[]) column, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("SECRET").doesNotContain("atlassian-access").doesNotContain("atlassian-refresh");
        }
        String dump = jdbc.queryForList("select g::text from grants g", String.class) + "" + jdbc.queryForList("select e::text from grant_events e", String.class);
        assertThat(dump).doesNotContain("SECRET");
    }

    private void connect(String authorizePath) {
        String state = authorize(authorizePath).get("state");
        HttpResponse<String> completed = complete(pendingOf(callback("code=c&state=" + state, null)), aliceJwt);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
    }

    static String pendingOf(HttpResponse<String> callback) {
        assertThat(callback.statusCode()).isEqualTo(302);
        return query(callback.headers().firstValue("Location").orElseThrow()).get("pending");
    }

    private Map<String, String> authorize(String path) {
        HttpResponse<String> response = call("POST", path, aliceJwt);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String authUrl = json(response).get("authUrl").asText();
        assertThat(authUrl).startsWith(providers.baseUrl());
        Map<String, String> params = query(authUrl);
        params.put("_path", URI.create(authUrl).getPath());
        return params;
    }

    private HttpResponse<String> callback(String query, String jwt) {
        return call("GET", "/oauth/callback?" + query, jwt);
    }

    private void assertRejected(HttpResponse<String> response, String error) {
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(baseUrl() + "/integrations/callback?success=false");
        assertThat(query(location)).containsEntry("error", error).containsKey("message");
    }

    static Map<String, String> query(String url) {
        String raw = URI.create(url).getRawQuery();
        return form(raw == null ? "" : raw);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
