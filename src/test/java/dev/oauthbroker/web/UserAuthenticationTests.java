package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.TestUsers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserAuthenticationTests extends BrokerIntegrationTest {

    static final List<String[]> USER_ENDPOINTS = List.of(
            new String[] {"GET", "/api/integrations"},
            new String[] {"POST", "/api/integrations/jira/authorize"},
            new String[] {"POST", "/api/buckets/atlassian/authorize"},
            new String[] {"POST", "/api/integrations/validate"},
            new String[] {"DELETE", "/api/integrations/jira"},
            new String[] {"DELETE", "/api/buckets/atlassian"});

    @Test
    void everyUserEndpointRefusesAMissingToken() {
        for (String[] endpoint : USER_ENDPOINTS) {
            HttpResponse<String> response = call(endpoint[0], endpoint[1], null);
            assertThat(response.statusCode()).as(endpoint[0] + " " + endpoint[1]).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();
    }

    @Test
    void expiredBadlySignedUnsignedAndWrongAlgorithmTokensAreRefused() {
        String expired = TestUsers.jwt("alice", Instant.now().minusSeconds(120), TestUsers.SECRET, JWSAlgorithm.HS256);
        String wrongKey = TestUsers.jwt("alice", Instant.now().plusSeconds(600), "another-secret-that-is-long-enough-32b", JWSAlgorithm.HS256);
        String hs512 = TestUsers.jwt("alice", Instant.now().plusSeconds(600), TestUsers.SECRET + TestUsers.SECRET, JWSAlgorithm.HS512);
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
        String none = header + "." + claims + ".";
        String valid = TestUsers.jwt("alice");
        String tampered = valid.substring(0, valid.indexOf('.') + 1) + claims + valid.substring(valid.lastIndexOf('.'));

        for (String jwt : List.of(expired, wrongKey, hs512, none, tampered, "not-a-jwt")) {
            HttpResponse<String> response = call("GET", "/api/integrations", jwt);
            assertThat(response.statusCode()).as(jwt).isEqualTo(401);
            assertThat(response.body()).doesNotContain(jwt);
        }
        assertThat(call("GET", "/api/integrations", valid).statusCode()).isEqualTo(200);
    }

    @Test
    void aCorrectlySignedTokenWithAnUnusableSubjectIs401NeverAServerError() {
        for (String subject : List.of("al\u0000ice", "x".repeat(256), "bob\r\nX-Injected: 1")) {
            String jwt = TestUsers.jwt(subject);
            for (String[] endpoint : USER_ENDPOINTS) {
                HttpResponse<String> response = call(endpoint[0], endpoint[1], jwt);
                assertThat(response.statusCode()).as(endpoint[0] + " " + endpoint[1]).isEqualTo(401);
                assertThat(json(response).get("message").asText()).isEqualTo("the token's subject must be 1 to 255 printable characters");
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from oauth_states", Integer.class)).isZero();

        String longest = "u".repeat(255);
        connected(longest, "github", List.of("github"), "at-SECRET-g", null, null);
        HttpResponse<String> integrations = call("GET", "/api/integrations", TestUsers.jwt(longest));
        assertThat(integrations.statusCode()).isEqualTo(200);
        assertThat(json(integrations).get("integrations").findValues("toolType").stream().map(t -> t.asText()))
                .contains("github");
        assertThat(json(integrations).get("integrations")).anyMatch(i -> i.get("toolType").asText().equals("github")
                && i.get("isConnected").asBoolean());
    }

    @Test
    void aSignatureIsCheckedWholeAndTheTokenOnlyAfterTheBearerScheme() {
        String valid = TestUsers.jwt("alice");
        String unsigned = valid.substring(0, valid.lastIndexOf('.') + 1);
        String signature = valid.substring(valid.lastIndexOf('.') + 1);
        char tenth = signature.charAt(10);
        String[] refused = {
                "Bearer " + unsigned,
                "Bearer " + unsigned + signature.substring(0, signature.length() - 1),
                "Bearer " + unsigned + signature.substring(0, 8),
                "Bearer " + unsigned + signature + "AAAA",
                "Bearer " + unsigned + signature.substring(0, 10) + (tenth == 'A' ? 'B' : 'A') + signature.substring(11),
                "Bearer " + unsigned + signature.toLowerCase(),
                "Bearer" + valid,
                "Basic " + valid,
                "Token " + valid,
                valid,
                "Bearer " + valid + "." + signature};
        for (String authorization : refused) {
            HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/api/integrations"))
                    .header("Authorization", authorization).GET().build());
            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
        }
        assertThat(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/api/integrations"))
                .header("Authorization", "bearer " + valid).GET().build()).statusCode())
                .as("the scheme is case-insensitive (RFC 9110 §11.1)").isEqualTo(200);
    }

    @Test
    void aUserCannotTouchAnotherUsersGrants() {
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        HttpResponse<String> delete = call("DELETE", "/api/integrations/jira", TestUsers.jwt("bob"));
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(json(delete).get("error").asText()).isEqualTo("not_connected");
        HttpResponse<String> validate = call("POST", "/api/integrations/validate", TestUsers.jwt("bob"));
        assertThat(json(validate).get("results")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from grant_tools where detached_at is null", Integer.class)).isEqualTo(2);
        assertThat(providers.getAllServeEvents()).isEmpty();
    }

    @Test
    void theInternalEndpointNeedsTheServiceKey() {
        connected("alice", "github", List.of("github"), "at-SECRET-g", null, null);
        for (String key : new String[] {null, "wrong-key-wrong-key", SERVICE_KEY + "x"}) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/internal/users/alice/tokens/github"));
            if (key != null) {
                request.header("X-Broker-Key", key);
            }
            HttpResponse<String> response = send(request.GET().build());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).doesNotContain("SECRET");
        }
        HttpResponse<String> ok = internalToken("alice", "github", false);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("accessToken").asText()).isEqualTo("at-SECRET-g");
        assertThat(ok.headers().firstValue("X-Broker-Key")).as("request headers are not echoed").isEmpty();
    }

    @Test
    void unknownEndpointsAndWrongMethodsAnswerInTheSameErrorShape() {
        HttpResponse<String> missing = call("GET", "/api/nope", TestUsers.jwt("alice"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not_found");
        assertThat(json(missing).has("path")).isFalse();
        HttpResponse<String> method = call("PUT", "/api/tools", null);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(json(method).get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(json(method).get("message").asText()).isEqualTo("this endpoint does not accept that method");
    }

    @Test
    void pathsNoRouteServesUnderApiAndInternalAreRefusedWithoutCredentialsLikeTheOthers() {
        for (String path : List.of("/api/nope", "/api", "/API/integrations", "/%61pi/integrations", "/api;x=1/integrations", "/api/tools/x", "/internal/nope", "/internal")) {
            HttpResponse<String> response = call("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(json(response).get("error").asText()).as(path).isEqualTo("unauthorized");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
        assertThat(call("GET", "/api/tools", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/oauth/callback", null).statusCode()).as("public: back to the frontend with an error").isEqualTo(302);
    }

    @Test
    void theLogCaptureSeesTheServiceLogs() {
        connected("carol", "github", List.of("github"), "at-SECRET-c", null, -5L);
        internalToken("carol", "github", false);
        call("GET", "/api/integrations", "garbage");
        // the connection's event reaches the log sink of routes/events.camel.yaml within a poll
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(LogCapture.serviceLines())
                .anyMatch(line -> line.startsWith("dev.oauthbroker") && line.contains("user=carol")));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
