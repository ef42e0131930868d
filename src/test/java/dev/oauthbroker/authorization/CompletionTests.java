package dev.oauthbroker.authorization;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.oauthbroker.authorization.ConnectFlowTests.pendingOf;
import static dev.oauthbroker.authorization.ConnectFlowTests.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The account-linking attack (RFC 9700 §4.7): mallory starts a flow and sends its authorize URL
 * to a victim; whatever the victim does, nothing lands in anyone's account. A pending id is single
 * use, expires, and is useless without the JWT of the user who started the flow.
 */
class CompletionTests extends BrokerIntegrationTest {

    final String mallory = TestUsers.jwt("mallory");
    final String victim = TestUsers.jwt("victim");

    @Test
    void aVictimCompletingAnotherUsersFlowGets403AndNothingIsStoredForAnyone() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String pending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));

        HttpResponse<String> victimCompletes = complete(pending, victim);

        assertThat(victimCompletes.statusCode()).isEqualTo(403);
        assertThat(json(victimCompletes).get("error").asText()).isEqualTo("foreign_flow");
        HttpResponse<String> malloryCompletes = complete(pending, mallory);
        assertThat(malloryCompletes.statusCode()).as("the pending flow is gone after a foreign attempt").isEqualTo(410);
        assertThat(json(malloryCompletes).get("error").asText()).isEqualTo("expired");
        providers.verify(exactly(0), postRequestedFor(urlPathEqualTo("/github/token")));
        assertThat(jdbc.queryForObject("select count(*) from grants", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
        assertThat(json(call("GET", "/api/integrations", mallory)).toString()).doesNotContain("\"isConnected\":true");
    }

    @Test
    void aPendingIdIsSingleUse() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String pending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));

        assertThat(complete(pending, mallory).statusCode()).isEqualTo(200);
        assertThat(complete(pending, mallory).statusCode()).isEqualTo(410);

        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/github/token")));
        assertThat(jdbc.queryForList("select user_id from grants", String.class)).containsExactly("mallory");
    }

    @Test
    void aPendingIdExpiresAfterFiveMinutes() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String late = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));
        jdbc.update("update oauth_states set created_at = now() - interval '5 minutes 30 seconds' where code is not null");
        String inTime = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));
        jdbc.update("update oauth_states set created_at = now() - interval '4 minutes 30 seconds' where code is not null and created_at > now() - interval '1 minute'");

        List<Integer> statuses = List.of(complete(late, mallory).statusCode(), complete(inTime, mallory).statusCode());

        assertThat(statuses).containsExactlyInAnyOrder(410, 200);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/github/token")));
    }

    @Test
    void withoutTheUsersJwtAPendingIdIsUselessAndStaysUsableByItsUser() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String pending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));

        assertThat(complete(pending, null).statusCode()).isEqualTo(401);
        assertThat(complete(pending, "not-a-jwt").statusCode()).isEqualTo(401);
        providers.verify(exactly(0), postRequestedFor(urlPathEqualTo("/github/token")));

        assertThat(complete(pending, mallory).statusCode()).isEqualTo(200);
    }

    @Test
    void aStateIsNoPendingIdAndAPendingIdIsNoState() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String state = stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"));
        assertThat(complete(state, mallory).statusCode()).isEqualTo(410);
        assertThat(callbackFor(state).headers().firstValue("Location").orElseThrow()).as("the state survived").contains("pending=");

        String pending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));
        assertThat(query(callbackFor(pending).headers().firstValue("Location").orElseThrow())).containsEntry("error", "invalid_state");
        assertThat(complete(pending, mallory).statusCode()).as("the pending id survived").isEqualTo(200);
    }

    @Test
    void malformedCompletionBodiesAre400AndChangeNothing() {
        String pending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));
        for (String body : List.of("", "not json", "[]", "{}", "{\"pending\":12}", "{\"pending\":\"\"}", "{\"pending\":\"" + "x".repeat(300) + "\"}")) {
            HttpResponse<String> response = callWithJson("POST", "/api/integrations/complete", mallory, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response).get("error").asText()).isEqualTo("invalid_request");
        }
        assertThat(jdbc.queryForObject("select count(*) from oauth_states where code is not null", Integer.class)).isEqualTo(1);
        assertThat(pending).isNotBlank();
    }

    @Test
    void theKeptCodeIsStoredOnlyAsCiphertext() {
        String pending = pendingOf(callback("code=auth-code-SECRET-42&state=" + stateOf(authorizeAs(mallory, "/api/integrations/google_workspace/authorize"))));
        byte[] code = jdbc.queryForObject("select code from oauth_states", byte[].class);
        byte[] hash = jdbc.queryForObject("select state_hash from oauth_states", byte[].class);
        assertThat(new String(code, StandardCharsets.ISO_8859_1)).doesNotContain("SECRET").doesNotContain("auth-code");
        assertThat(new String(hash, StandardCharsets.ISO_8859_1)).doesNotContain(pending);
    }

    @Test
    void aUserHasAtMostTwentyFlowsInFlightAndTheOldestAreDropped() {
        stubToken("/github/token", 200, "github/token-ok.json");
        String oldest = stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"));
        String oldestPending = pendingOf(callbackFor(stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))));
        jdbc.update("update oauth_states set created_at = created_at - interval '1 minute'");
        for (int i = 0; i < 24; i++) {
            authorizeAs(mallory, "/api/integrations/github/authorize");
        }
        String newest = stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"));
        stateOf(authorizeAs(victim, "/api/integrations/github/authorize"));

        assertThat(jdbc.queryForObject("select count(*) from oauth_states where user_id = 'mallory'", Integer.class)).isEqualTo(20);
        assertThat(jdbc.queryForObject("select count(*) from oauth_states where user_id = 'victim'", Integer.class)).isEqualTo(1);
        assertThat(query(callbackFor(oldest).headers().firstValue("Location").orElseThrow())).containsEntry("error", "invalid_state");
        assertThat(complete(oldestPending, mallory).statusCode()).isEqualTo(410);
        assertThat(complete(pendingOf(callbackFor(newest)), mallory).statusCode()).isEqualTo(200);
    }

    @Test
    void theCallbackOnlyEverRedirectsToTheFrontendWhateverTheRequestSays() {
        String frontend = baseUrl() + "/integrations/callback?";
        for (String extra : List.of("return_to=https%3A%2F%2Fevil.example", "redirect_uri=https%3A%2F%2Fevil.example",
                "next=%2F%2Fevil.example", "redirect=https%3A%2F%2Fevil.example", "continue=https%3A%2F%2Fevil.example")) {
            String ok = stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"));
            assertThat(callback("code=c&" + extra + "&state=" + ok).headers().firstValue("Location").orElseThrow())
                    .as(extra).startsWith(frontend + "pending=").doesNotContain("evil");
            assertThat(callback("code=c&" + extra + "&state=unknown").headers().firstValue("Location").orElseThrow())
                    .as(extra).startsWith(frontend + "success=false").doesNotContain("evil");
        }
        HttpResponse<String> forwarded = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth/callback?code=c&state="
                        + stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"))))
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https").header("Forwarded", "host=evil.example")
                .timeout(Duration.ofSeconds(10)).GET().build());
        assertThat(forwarded.headers().firstValue("Location").orElseThrow()).startsWith(frontend + "pending=").doesNotContain("evil");
    }

    @Test
    void theCallbackMessageIsAFixedTextPerErrorCodeNeverTextFromTheRequest() throws Exception {
        String state = stateOf(authorizeAs(mallory, "/api/integrations/github/authorize"));
        var odd = query(callback("error=call_555_0100_for_support&error_description=Visit+evil.example&state=" + state)
                .headers().firstValue("Location").orElseThrow());
        assertThat(odd).containsEntry("error", "provider_error")
                .containsEntry("message", "The provider reported an error, so nothing was connected. Please try again.");

        String malformed = rawGet("/oauth/callback?code=c&state=%zz%");
        assertThat(malformed).as("answered by the broker, not the web server").startsWith("HTTP/1.1 302");
        assertThat(malformed).contains("error=invalid_request")
                .contains("message=The%20provider's%20answer%20was%20malformed.%20Please%20start%20connecting%20again.")
                .doesNotContain("URLDecoder").doesNotContain("escape");

        var repeated = query(callback("code=c&state=a&state=b").headers().firstValue("Location").orElseThrow());
        assertThat(repeated.get("message")).doesNotContain("state").doesNotContain("Exception");
    }

    /** A request line no java.net client would send (a malformed escape), over a plain socket. */
    private String rawGet(String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private HttpResponse<String> authorizeAs(String jwt, String path) {
        HttpResponse<String> response = call("POST", path, jwt);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String stateOf(HttpResponse<String> authorize) {
        return query(json(authorize).get("authUrl").asText()).get("state");
    }

    private HttpResponse<String> callbackFor(String state) {
        return callback("code=c&state=" + state);
    }

    private HttpResponse<String> callback(String query) {
        return call("GET", "/oauth/callback?" + query, null);
    }
}
