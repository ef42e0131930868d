package dev.oauthbroker.authorization;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.oauthbroker.authorization.ConnectFlowTests.pendingOf;
import static dev.oauthbroker.authorization.ConnectFlowTests.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.TestUsers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Admin consent as a first-class path: the link a user forwards to their administrator, the
 * administrator's answer at {@code /oauth/callback} recording the tenant, and Microsoft's
 * AADSTS65001/90093/90094 — on a callback or a code exchange — ending with {@code admin_consent_required}.
 */
class AdminConsentFlowTests extends BrokerIntegrationTest {

    static final String ALICE = "alice";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    final String aliceJwt = TestUsers.jwt(ALICE);

    @BeforeEach
    void noConsentsYet() {
        jdbc.execute("truncate admin_consent_requests, admin_consents");
    }

    @Test
    void theLinkIsTheProvidersAdminConsentUrlWithExactlyClientIdScopeRedirectUriAndAServerSideState() {
        String url = link("microsoft");

        assertThat(url).startsWith(providers.baseUrl() + "/microsoft/adminconsent?");
        Map<String, String> params = query(url);
        assertThat(params.keySet()).containsExactlyInAnyOrder("client_id", "scope", "redirect_uri", "state");
        assertThat(params).containsEntry("client_id", "microsoft-client-id").containsEntry("redirect_uri", baseUrl() + "/oauth/callback");
        assertThat(params.get("scope").split(" ")).as("the card's scopes and the opt-in admin-only tool's, qualified for Graph")
                .containsExactly("offline_access", "openid", "https://graph.microsoft.com/User.Read",
                        "https://graph.microsoft.com/outlook:read", "https://graph.microsoft.com/teams:read",
                        "https://graph.microsoft.com/onedrive:read", "https://graph.microsoft.com/ChannelMessage.Read.All");
        assertThat(params.get("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(jdbc.queryForMap("select user_id, provider, bucket from admin_consent_requests"))
                .containsEntry("user_id", ALICE).containsEntry("provider", "microsoft").containsEntry("bucket", "microsoft");
        assertThat(jdbc.queryForObject("select count(*) from admin_consent_requests where state_hash = sha256(convert_to(?, 'UTF8'))",
                Integer.class, params.get("state"))).as("only the state's hash is stored").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
    }

    @Test
    void anUnknownBucketIs404AndABucketWithoutAnAdminConsentEndpointIs409() {
        HttpResponse<String> unknown = call("POST", "/api/buckets/nope/admin-consent", aliceJwt);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_bucket");
        HttpResponse<String> atlassian = call("POST", "/api/buckets/atlassian/admin-consent", aliceJwt);
        assertThat(atlassian.statusCode()).isEqualTo(409);
        assertThat(json(atlassian).get("error").asText()).isEqualTo("admin_consent_unsupported");
        assertThat(call("POST", "/api/buckets/microsoft/admin-consent", null).statusCode()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from admin_consent_requests", Integer.class)).isZero();
    }

    @Test
    void theAdministratorsAnswerRecordsTheTenantAndSendsTheBrowserToTheFrontendOnce() {
        String state = query(link("microsoft")).get("state");

        HttpResponse<String> answer = callback("admin_consent=True&tenant=" + TENANT + "&scope="
                + URLEncoder.encode("https://graph.microsoft.com/ChannelMessage.Read.All https://graph.microsoft.com/User.Read", StandardCharsets.UTF_8)
                + "&state=" + state);

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).hasValue(baseUrl() + "/integrations/callback?success=true&adminConsent=granted&bucket=microsoft");
        assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        Map<String, Object> row = jdbc.queryForMap("select provider, tenant, scopes, requested_by from admin_consents");
        assertThat(row).containsEntry("provider", "microsoft").containsEntry("tenant", TENANT).containsEntry("requested_by", ALICE)
                .containsEntry("scopes", "https://graph.microsoft.com/ChannelMessage.Read.All https://graph.microsoft.com/User.Read");
        assertThat(jdbc.queryForObject("select count(*) from admin_consent_requests", Integer.class)).as("the link is single use").isZero();
        assertThat(providers.getAllServeEvents()).as("nothing is exchanged at the provider").isEmpty();

        assertRejected(callback("admin_consent=True&tenant=other-tenant&state=" + state), "invalid_state");
        assertThat(jdbc.queryForList("select tenant from admin_consents", String.class)).as("a replayed answer records nothing").containsExactly(TENANT);
    }

    @Test
    void aForgedExpiredOrDeclinedAnswerRecordsNothing() {
        assertRejected(callback("admin_consent=True&tenant=" + TENANT + "&state=forged-state-0123456789abcdefghijklmnopqrstu"), "invalid_state");
        assertRejected(callback("admin_consent=True&tenant=" + TENANT), "invalid_state");

        String old = query(link("microsoft")).get("state");
        jdbc.update("update admin_consent_requests set created_at = now() - interval '8 days'");
        assertRejected(callback("admin_consent=True&tenant=" + TENANT + "&state=" + old), "admin_consent_expired");

        String declined = query(link("microsoft")).get("state");
        assertRejected(callback("error=access_denied&error_description=" + URLEncoder.encode("AADSTS65004: User declined to consent", StandardCharsets.UTF_8)
                + "&state=" + declined), "admin_consent_declined");

        String noTenant = query(link("microsoft")).get("state");
        assertRejected(callback("admin_consent=True&tenant=" + URLEncoder.encode("<script>", StandardCharsets.UTF_8) + "&state=" + noTenant), "invalid_request");

        assertThat(jdbc.queryForObject("select count(*) from admin_consents", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from admin_consent_requests", Integer.class)).as("each link consumed by its answer").isZero();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "consent_required, 'AADSTS65001: The user or administrator has not consented to use the application.'",
            "access_denied, 'AADSTS90093: The signed in user is not allowed to grant the requested permissions.'",
            "access_denied, 'AADSTS90094: The grant requires admin permission.'"})
    void aCallbackCarryingAnAdminConsentCodeEndsWithAdminConsentRequiredAndNamesTheBucketWithTheLink(String error, String description) {
        String state = authorize("/api/integrations/teams_channels/authorize");

        HttpResponse<String> callback = callback("error=" + error + "&error_description=" + URLEncoder.encode(description, StandardCharsets.UTF_8)
                + "&state=" + state);

        Map<String, String> redirect = assertRejected(callback, "admin_consent_required");
        assertThat(redirect).containsEntry("bucket", "microsoft")
                .containsEntry("message", "Your administrator must approve this application before you can connect it.");
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).as("state consumed, nothing kept").isZero();
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
    }

    @Test
    void anotherProviderErrorOnTheCallbackIsNotMistakenForAdminConsent() {
        String state = authorize("/api/buckets/microsoft/authorize");
        Map<String, String> redirect = assertRejected(callback("error=access_denied&error_description="
                + URLEncoder.encode("AADSTS65004: User declined to consent to access the app.", StandardCharsets.UTF_8) + "&state=" + state), "access_denied");
        assertThat(redirect).doesNotContainKey("bucket");
    }

    @Test
    void aCodeExchangeAnsweringAnAdminConsentCodeIs403AdminConsentRequiredAndStoresNoGrant() {
        stubToken("/microsoft/token", 400, "microsoft/admin-approval-90094.json");
        String state = authorize("/api/buckets/microsoft/authorize");

        HttpResponse<String> completed = complete(pendingOf(callback("code=c&state=" + state)), aliceJwt);

        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(403);
        assertThat(json(completed).get("error").asText()).isEqualTo("admin_consent_required");
        assertThat(json(completed).get("bucket").asText()).isEqualTo("microsoft");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/microsoft/token")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
    }

    @Test
    void startupLogsOneLinePerToolThatNeedsAdminConsent() {
        assertThat(LogCapture.serviceLines()).filteredOn(line -> line.contains("event=catalogue.admin_consent_tool"))
                .isNotEmpty()
                .allMatch(line -> line.contains("provider=microsoft tool=teams_channels scopes=ChannelMessage.Read.All bucket=microsoft"));
    }

    private String link(String bucket) {
        HttpResponse<String> response = call("POST", "/api/buckets/" + bucket + "/admin-consent", aliceJwt);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        return json(response).get("adminConsentUrl").asText();
    }

    private String authorize(String path) {
        HttpResponse<String> response = call("POST", path, aliceJwt);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return query(json(response).get("authUrl").asText()).get("state");
    }

    private HttpResponse<String> callback(String query) {
        return call("GET", "/oauth/callback?" + query, null);
    }

    private Map<String, String> assertRejected(HttpResponse<String> response, String error) {
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(URI.create(location).getPath()).isEqualTo("/integrations/callback");
        assertThat(location).startsWith(baseUrl() + "/integrations/callback?success=false");
        Map<String, String> params = query(location);
        assertThat(params).containsEntry("error", error).containsKey("message");
        return params;
    }
}
