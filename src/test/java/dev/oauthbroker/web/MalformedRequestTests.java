package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.RawHttp;
import dev.oauthbroker.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What the caller sent wrong is a 4xx in the JSON shape {error, message} — never a 500, never Tomcat's HTML page. */
class MalformedRequestTests extends BrokerIntegrationTest {

    @Test
    void requestingTheErrorPageDirectlyIsA404() {
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            HttpResponse<String> response = call(method, "/error", null);
            assertThat(response.statusCode()).as(method).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo("not_found");
            assertThat(json(response).get("message").asText()).isEqualTo("no such endpoint");
        }
    }

    @Test
    void pathsAndQueriesTomcatRefusesAnswerJson400() throws Exception {
        String[] requestLines = {
                "GET /api/integrations%2F..%2Fx HTTP/1.1",
                "GET /internal/users/alice%2Fbob/tokens/github HTTP/1.1",
                "GET /api/tools%00 HTTP/1.1",
                "GET /oauth/callback%zz HTTP/1.1",
                "GET /oauth/callback?state=" + "s".repeat(9000) + " HTTP/1.1"};
        for (String requestLine : requestLines) {
            RawHttp.Response response = RawHttp.exchange(port, requestLine);
            String what = requestLine.substring(0, Math.min(60, requestLine.length())) + " -> " + response;
            assertThat(response.status()).as(what).isBetween(400, 499);
            assertThat(response.headers().get("content-type")).as(what).startsWith("application/json");
            assertThat(json(response.body()).get("error").asText()).as(what).isNotBlank();
            assertThat(json(response.body()).get("message").asText()).as(what).isNotBlank();
        }
    }

    @Test
    void aFormBodyThatIsNotFormEncodingIsA400() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations/validate"))
                .header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=%zz")).build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_request");
        assertThat(json(response).get("message").asText()).isEqualTo("the body is not valid application/x-www-form-urlencoded");

        HttpResponse<String> wellFormed = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations/validate"))
                .header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=%41&b=2")).build());
        assertThat(wellFormed.statusCode()).isEqualTo(200);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
