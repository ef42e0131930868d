package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The service key is compared whole and exactly: a check weakened to a prefix, suffix, substring
 * or case-insensitive comparison lets one of these near-misses through and fails here. (Spaces
 * around a header value are not part of it in HTTP, so a padded key is the key.)
 */
class ServiceKeyCheckTests extends BrokerIntegrationTest {

    @Test
    void everyNearMissOfTheServiceKeyIs401AndLeaksNoToken() {
        connected("alice", "github", List.of("github"), "at-SECRET-g", null, null);
        List<String> nearMisses = List.of(
                SERVICE_KEY.substring(0, SERVICE_KEY.length() - 1),
                SERVICE_KEY.substring(0, 1),
                SERVICE_KEY.substring(1),
                SERVICE_KEY.substring(3, SERVICE_KEY.length() - 3),
                SERVICE_KEY + "x",
                "x" + SERVICE_KEY,
                SERVICE_KEY + "\t" + SERVICE_KEY,
                SERVICE_KEY.toUpperCase(Locale.ROOT),
                Character.toUpperCase(SERVICE_KEY.charAt(0)) + SERVICE_KEY.substring(1),
                "Bearer " + SERVICE_KEY,
                "");
        for (String given : nearMisses) {
            HttpResponse<String> response = withKey(given);
            assertThat(response.statusCode()).as("X-Broker-Key: '%s'", given).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
            assertThat(response.body()).doesNotContain("SECRET");
        }
        HttpResponse<String> exact = withKey(SERVICE_KEY);
        assertThat(exact.statusCode()).isEqualTo(200);
        assertThat(json(exact).get("accessToken").asText()).isEqualTo("at-SECRET-g");
    }

    private HttpResponse<String> withKey(String key) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/alice/tokens/github"))
                .header("X-Broker-Key", key).GET().build());
    }
}
