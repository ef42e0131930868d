package dev.oauthbroker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.RawHttp;
import dev.oauthbroker.authorization.S256CodeChallenge;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The sandbox provider over real HTTP, used by the demo broker exactly like any other provider. */
@Tag("extra-contexts")
class SandboxProviderTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    String demo;
    String jwt;

    @BeforeEach
    void demo() {
        demo = BrokerInstances.demoOn(dataSource).baseUrl();
        jwt = json(post(demo + "/api/demo/session", "application/json", "{\"userId\":\"sam\"}", null)).get("token").asText();
    }

    @Test
    void outsideTheDemoTheSandboxDoesNotExist() {
        assertThat(call("GET", "/sandbox/oauth2/authorize?client_id=x", null).statusCode()).isEqualTo(404);
        assertThat(post(baseUrl() + "/sandbox/oauth2/token", "application/x-www-form-urlencoded", "grant_type=refresh_token", null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/api/tools", null)).get("buckets").toString()).doesNotContain("sandbox");
    }

    @Test
    void connectRefreshWithRotationReplayRejectedValidateAndRevoke() {
        // connect: the broker's authorize URL, the consent page, Allow, the broker's callback
        String authUrl = json(send("POST", demo + "/api/buckets/sandbox/authorize", jwt)).get("authUrl").asText();
        HttpResponse<String> consent = send("GET", authUrl, null);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Allow oauth-broker to read your Sandbox account?");
        HttpResponse<String> decided = post(demo + "/sandbox/oauth2/authorize/decision", "application/x-www-form-urlencoded",
                formOf(consent.body()) + "&decision=allow", null);
        assertThat(decided.statusCode()).isEqualTo(302);
        String callback = decided.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(demo + "/oauth/callback?code=").contains("iss=");
        String frontend = send("GET", callback, null).headers().firstValue("Location").orElseThrow();
        assertThat(frontend).startsWith(demo + "/integrations/callback?pending=");
        HttpResponse<String> completed = post(demo + "/api/integrations/complete", "application/json",
                "{\"pending\":\"" + frontend.substring(frontend.indexOf("pending=") + 8) + "\"}", "Bearer " + jwt);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);

        JdbcGrantStore demoGrants = BrokerInstances.demoOn(dataSource).bean(JdbcGrantStore.class);
        Grant connected = demoGrants.findByUserTool("sam", "sandbox").orElseThrow();
        assertThat(connected.expiresAt()).isNotNull();

        // the backend gets the token; a forced refresh rotates the refresh token
        String brokerKey = BrokerInstances.demoOn(dataSource).property("BROKER_SERVICE_KEY");
        JsonNode token = json(get(demo + "/internal/users/sam/tokens/sandbox", brokerKey));
        assertThat(token.get("accessToken").asText()).startsWith("sbx-at-");
        JsonNode refreshed = json(get(demo + "/internal/users/sam/tokens/sandbox?forceRefresh=true", brokerKey));
        assertThat(refreshed.get("accessToken").asText()).startsWith("sbx-at-").isNotEqualTo(token.get("accessToken").asText());
        Grant rotated = demoGrants.find(connected.id()).orElseThrow();
        assertThat(rotated.refreshToken()).isNotEqualTo(connected.refreshToken());

        // a replayed (used) refresh token is refused, as a strict provider does
        String basic = sandboxClientBasic();
        HttpResponse<String> replay = post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + enc(connected.refreshToken()), basic);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + enc(rotated.refreshToken()), "Basic d3Jvbmc6d3Jvbmc=").statusCode()).isEqualTo(401);

        // validation calls userinfo with the token
        JsonNode validation = json(send("POST", demo + "/api/integrations/validate", jwt)).get("results").get(0);
        assertThat(validation.get("valid").asBoolean()).isTrue();

        // disconnect revokes at the sandbox (RFC 7009); the access token stops working there
        String lastAccessToken = demoGrants.find(connected.id()).orElseThrow().accessToken();
        JsonNode disconnected = json(send("DELETE", demo + "/api/integrations/sandbox", jwt));
        assertThat(disconnected.get("revocation").asText()).isEqualTo("revoked");
        assertThat(get(demo + "/sandbox/oauth2/userinfo", null, "Bearer " + lastAccessToken).statusCode()).isEqualTo(401);
    }

    @Test
    void theSandboxIsStrictAboutPkceRedirectUriAndCodes() {
        String verifier = S256CodeChallenge.newVerifier();
        String request = "client_id=oauth-broker-sandbox&redirect_uri=" + enc(demo + "/oauth/callback") + "&state=s1&scope=profile";
        assertThat(send("GET", demo + "/sandbox/oauth2/authorize?" + request, null).statusCode()).as("no PKCE").isEqualTo(400);
        assertThat(send("GET", demo + "/sandbox/oauth2/authorize?client_id=oauth-broker-sandbox&redirect_uri=" + enc("https://evil.example/cb")
                + "&state=s&code_challenge=x&code_challenge_method=S256", null).statusCode()).as("foreign redirect").isEqualTo(400);

        String pkce = request + "&code_challenge=" + S256CodeChallenge.challengeOf(verifier) + "&code_challenge_method=S256";
        String code = query(post(demo + "/sandbox/oauth2/authorize/decision", "application/x-www-form-urlencoded", pkce + "&decision=allow", null)
                .headers().firstValue("Location").orElseThrow()).get("code");
        String basic = sandboxClientBasic();
        String exchange = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(demo + "/oauth/callback");
        assertThat(post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded", exchange + "&code_verifier=" + S256CodeChallenge.newVerifier(), basic)
                .statusCode()).as("wrong verifier burns the code").isEqualTo(400);
        assertThat(post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded", exchange + "&code_verifier=" + verifier, basic)
                .statusCode()).as("a code is single-use").isEqualTo(400);

        Map<String, String> denied = query(post(demo + "/sandbox/oauth2/authorize/decision", "application/x-www-form-urlencoded",
                pkce + "&decision=deny", null).headers().firstValue("Location").orElseThrow());
        assertThat(denied).containsEntry("error", "access_denied").containsEntry("state", "s1");
    }

    @Test
    void malformedTokenAndRevocationRequestsGetRfc6749JsonErrorsNever500() {
        String basic = sandboxClientBasic();
        String form = "application/x-www-form-urlencoded";
        String badBasic = "Basic " + Base64.getEncoder().encodeToString("oauth-broker-sandbox:%zz".getBytes(StandardCharsets.UTF_8));
        String verifierTooLong = "a".repeat(60_000);
        String[][] cases = {
                // path, content type, body, Authorization, expected error
                {"/token", form, "grant_type=refresh_token&refresh_token=%zz", basic, "invalid_request"},
                {"/token", form, "grant_type=refresh_token&refresh_token=x", "Basic !!!not-base64", "invalid_request"},
                {"/token", form, "grant_type=refresh_token&refresh_token=x", badBasic, "invalid_request"},
                {"/token", form, "", basic, "invalid_request"},
                {"/token", form, "grant_type=refresh_token", basic, "invalid_request"},
                {"/token", form, "grant_type=authorization_code&code=c&redirect_uri=" + enc(demo + "/oauth/callback"), basic, "invalid_request"},
                {"/token", form, "grant_type=authorization_code&code=c&redirect_uri=x&code_verifier=" + verifierTooLong, basic, "invalid_request"},
                {"/token", "application/json", "{\"grant_type\": \"refresh_token\", \"refresh_token\": ", basic, "invalid_request"},
                {"/token", form, "grant_type=password&username=u&password=p", basic, "unsupported_grant_type"},
                {"/revoke", form, "token=%zz", basic, "invalid_request"},
                {"/revoke", form, "token=x", "Basic %%%", "invalid_request"}};
        for (String[] c : cases) {
            HttpResponse<String> response = post(demo + "/sandbox/oauth2" + c[0], c[1], c[2], c[3]);
            String what = c[0] + " " + c[2].substring(0, Math.min(c[2].length(), 80)) + " " + c[3];
            assertThat(response.statusCode()).as(what).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(json(response).get("error").asText()).as(what).isEqualTo(c[4]);
        }
    }

    @Test
    void malformedAuthorizationRequestsAre400PagesNever500() throws Exception {
        String request = "client_id=oauth-broker-sandbox&redirect_uri=" + enc(demo + "/oauth/callback") + "&state=%zz"
                + "&code_challenge=x&code_challenge_method=S256";
        RawHttp.Response page = RawHttp.exchange(URI.create(demo).getPort(), "GET /sandbox/oauth2/authorize?" + request + " HTTP/1.1");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("not valid application/x-www-form-urlencoded");
        HttpResponse<String> decided = post(demo + "/sandbox/oauth2/authorize/decision", "application/x-www-form-urlencoded",
                request + "&decision=allow", null);
        assertThat(decided.statusCode()).isEqualTo(400);
        assertThat(decided.body()).contains("not valid application/x-www-form-urlencoded");
    }

    @Test
    void aCodeExchangedWithItsVerifierGivesTokensThatNoCacheKeeps() {
        String verifier = S256CodeChallenge.newVerifier();
        String request = "client_id=oauth-broker-sandbox&redirect_uri=" + enc(demo + "/oauth/callback") + "&state=" + enc("{odd} state")
                + "&scope=profile&code_challenge=" + S256CodeChallenge.challengeOf(verifier) + "&code_challenge_method=S256";
        HttpResponse<String> decided = post(demo + "/sandbox/oauth2/authorize/decision", "application/x-www-form-urlencoded",
                request + "&decision=allow", null);
        assertThat(decided.statusCode()).isEqualTo(302);
        Map<String, String> back = query(decided.headers().firstValue("Location").orElseThrow());
        assertThat(back).containsEntry("state", "{odd} state");

        HttpResponse<String> tokens = post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=authorization_code&code=" + enc(back.get("code")) + "&redirect_uri=" + enc(demo + "/oauth/callback")
                        + "&code_verifier=" + verifier, sandboxClientBasic());
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(json(tokens).get("access_token").asText()).startsWith("sbx-at-");
        assertThat(tokens.headers().allValues("Cache-Control")).containsExactly("no-store");
    }

    @Test
    void theClientSecretIsComparedWholeAndExactly() {
        String secret = BrokerInstances.demoOn(dataSource).property("SANDBOX_CLIENT_SECRET");
        String request = "grant_type=refresh_token&refresh_token=unknown";
        for (String given : new String[] {secret.substring(0, secret.length() - 1), secret.substring(1), secret + "x",
                secret.toUpperCase(), secret.toLowerCase() + "-", ""}) {
            HttpResponse<String> basic = post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded", request,
                    "Basic " + Base64.getEncoder().encodeToString(("oauth-broker-sandbox:" + enc(given)).getBytes(StandardCharsets.UTF_8)));
            assertThat(basic.statusCode()).as(given).isEqualTo(401);
            HttpResponse<String> form = post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded",
                    request + "&client_id=oauth-broker-sandbox&client_secret=" + enc(given), null);
            assertThat(form.statusCode()).as(given).isEqualTo(401);
        }
        assertThat(post(demo + "/sandbox/oauth2/token", "application/x-www-form-urlencoded", request, sandboxClientBasic()).statusCode())
                .as("the right secret gets past client authentication").isEqualTo(400);
    }

    /** RFC 6749 §2.3.1: client id and secret form-encoded, then Basic. */
    private String sandboxClientBasic() {
        String secret = BrokerInstances.demoOn(dataSource).property("SANDBOX_CLIENT_SECRET");
        return "Basic " + Base64.getEncoder().encodeToString(("oauth-broker-sandbox:" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String formOf(String html) {
        Matcher m = Pattern.compile("name=\"([a-z_]+)\" value=\"([^\"]*)\"").matcher(html);
        Map<String, String> fields = new HashMap<>();
        while (m.find()) {
            fields.put(m.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(2)));
        }
        fields.remove("decision");
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, String url, String jwt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        return send(request.build());
    }

    private static HttpResponse<String> get(String url, String brokerKey) {
        return get(url, brokerKey, null);
    }

    private static HttpResponse<String> get(String url, String brokerKey, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (brokerKey != null) {
            request.header("X-Broker-Key", brokerKey);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static HttpResponse<String> post(String url, String type, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }
}
