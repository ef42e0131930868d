package dev.oauthbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code compose.yaml} (no container engine here to run it): PostgreSQL and two broker instances
 * of the image sharing it, each waiting for a healthy database, checked by its readiness probe on
 * the management port, and refusing to start without its secrets.
 */
class ComposeFileTests {

    private static final List<String> BROKERS = List.of("broker-1", "broker-2");

    @Test
    void postgresAndTwoBrokersOfTheImageShareOneDatabase() throws IOException {
        Map<String, Object> services = services();

        assertThat(services).containsOnlyKeys("postgres", "broker-1", "broker-2");
        assertThat(map(services.get("postgres")).get("image").toString()).startsWith("postgres:");
        for (String broker : BROKERS) {
            Map<String, Object> service = map(services.get(broker));
            assertThat(service.get("image")).as(broker).isEqualTo("oauth-broker:0.1.0-SNAPSHOT");
            assertThat(map(service.get("environment")).get("SPRING_DATASOURCE_URL")).as(broker)
                    .isEqualTo("jdbc:postgresql://postgres:5432/oauth_broker");
        }
        assertThat(map(services.get("broker-1")).get("ports")).isNotEqualTo(map(services.get("broker-2")).get("ports"));
    }

    @Test
    void everyServiceHasAHealthCheckAndTheBrokersWaitForAHealthyDatabase() throws IOException {
        Map<String, Object> services = services();

        assertThat(map(map(services.get("postgres")).get("healthcheck")).get("test").toString()).contains("pg_isready");
        for (String broker : BROKERS) {
            Map<String, Object> service = map(services.get(broker));
            assertThat(map(service.get("healthcheck")).get("test").toString()).as(broker)
                    .contains("localhost/8081", "/actuator/health/readiness");
            assertThat(map(map(service.get("depends_on")).get("postgres"))).as(broker)
                    .containsEntry("condition", "service_healthy");
        }
    }

    @Test
    void theBrokersRefuseToStartWithoutTheirSecrets() throws IOException {
        for (String broker : BROKERS) {
            Map<String, Object> environment = map(map(services().get(broker)).get("environment"));
            for (String secret : List.of("ENCRYPTION_KEY", "APP_JWT_SECRET", "BROKER_SERVICE_KEY", "PUBLIC_BASE_URL")) {
                assertThat(environment.get(secret)).as(broker + " " + secret).isEqualTo("${" + secret + ":?set " + secret + "}");
            }
            assertThat(environment.get("SPRING_DATASOURCE_PASSWORD")).as(broker).isEqualTo("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}");
        }
    }

    private static Map<String, Object> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("compose.yaml")));
        return map(compose.get("services"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }
}
