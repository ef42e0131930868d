package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A host's frontend on another origin ({@code BROKER_CORS_ORIGINS=http://app.localhost:3000} in the
 * test profile) may call the user API from the browser; no other origin may, and nothing but the
 * user API is open across origins.
 */
class ApiCorsTests extends BrokerIntegrationTest {

    static final String FRONTEND = "http://app.localhost:3000";

    @Test
    void theConfiguredFrontendsPreflightIsAllowedWithBearerHeadersAndNoCookies() {
        HttpResponse<String> preflight = preflight("/api/integrations", FRONTEND, "GET", "authorization");

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(FRONTEND);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase()).contains("authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("GET");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> complete = preflight("/api/integrations/complete", FRONTEND, "POST", "authorization,content-type");
        assertThat(complete.statusCode()).isEqualTo(200);
        assertThat(preflight("/api/integrations/github", FRONTEND, "DELETE", "authorization").statusCode()).isEqualTo(200);
    }

    @Test
    void theFrontendsActualRequestCarriesTheAllowOriginHeader() {
        HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations"))
                .header("Origin", FRONTEND).header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                .timeout(Duration.ofSeconds(10)).GET().build());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).hasValue(FRONTEND);
    }

    @Test
    void everyOtherOriginIsRefused() {
        for (String origin : new String[] {"http://evil.example", "http://app.localhost:3001", "https://app.localhost:3000", "null"}) {
            HttpResponse<String> preflight = preflight("/api/integrations", origin, "GET", "authorization");
            assertThat(preflight.statusCode()).as(origin).isEqualTo(403);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();

            HttpResponse<String> actual = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/integrations"))
                    .header("Origin", origin).header("Authorization", "Bearer " + TestUsers.jwt("alice"))
                    .timeout(Duration.ofSeconds(10)).GET().build());
            assertThat(actual.statusCode()).as(origin).isEqualTo(403);
            assertThat(actual.body()).doesNotContain("integrations");
        }
    }

    @Test
    void aHeaderOtherThanAuthorizationAndContentTypeIsRefused() {
        assertThat(preflight("/api/integrations", FRONTEND, "GET", "x-broker-key").statusCode()).isEqualTo(403);
    }

    @Test
    void theInternalEndpointAndTheCallbackAreNeverOpenAcrossOrigins() {
        HttpResponse<String> internal = preflight("/internal/users/alice/tokens/github", FRONTEND, "GET", "x-broker-key");
        assertThat(internal.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> callback = preflight("/oauth/callback", FRONTEND, "GET", "authorization");
        assertThat(callback.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers).timeout(Duration.ofSeconds(10)).build());
    }
}
