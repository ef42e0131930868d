package dev.oauthbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerIntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The probes of the running service, on the management port only: liveness, readiness made of
 * Spring's own state and Camel's routes (with the token cache as a detail), and the overall health
 * with PostgreSQL and the migrations. (Readiness going down before the routes start and at shutdown,
 * and staying up while the shared database is down: {@link ReadinessLifecycleTests}.)
 */
class HealthEndpointTests extends BrokerIntegrationTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void livenessIsUpAndNeedsNoToken() {
        HttpResponse<String> liveness = management("/actuator/health/liveness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json(liveness).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessIsUpWhenRoutesAreUpAndTheOverallHealthAddsTheDatabaseAndMigrations() {
        HttpResponse<String> readiness = management("/actuator/health/readiness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode components = json(readiness).get("components");
        assertThat(json(readiness).get("status").asText()).isEqualTo("UP");
        assertThat(components.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "camelReadinessState", "tokenCache");
        components.forEach(component -> assertThat(component.get("status").asText()).isEqualTo("UP"));
        assertThat(readiness.body()).as("components only, no details").doesNotContain("details", "postgres", "jdbc");

        HttpResponse<String> health = management("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("components").fieldNames()).toIterable().contains("db", "migrations");
        assertThat(health.body()).as("components only, no details").doesNotContain("postgres", "jdbc");
    }

    @Test
    void theManagementPortIsNotTheApiPortAndTheApiPortServesNoActuator() {
        assertThat(managementPort).isPositive().isNotEqualTo(port);

        HttpResponse<String> onApiPort = call("GET", "/actuator/health", null);
        assertThat(onApiPort.statusCode()).isEqualTo(404);
        assertThat(onApiPort.body()).doesNotContain("UP");
        assertThat(call("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theManagementPortIsNeverOpenAcrossOrigins() {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(managementUrl("/actuator/health/readiness")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.localhost:3000").header("Access-Control-Request-Method", "GET")
                .timeout(Duration.ofSeconds(10)).build());
        HttpResponse<String> actual = send(HttpRequest.newBuilder(URI.create(managementUrl("/actuator/health/readiness")))
                .header("Origin", "http://app.localhost:3000").timeout(Duration.ofSeconds(10)).GET().build());

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(management("/actuator/env").statusCode()).as("only health is exposed").isEqualTo(404);
    }

    private HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl(path))).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }
}
