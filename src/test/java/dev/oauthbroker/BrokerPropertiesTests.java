package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTests {

    static BrokerProperties properties(String publicBaseUrl, String frontendUrl, List<String> corsOrigins) {
        return new BrokerProperties(publicBaseUrl, frontendUrl, "x", corsOrigins, Duration.ofSeconds(10), new BrokerProperties.Refresh(Duration.ofMinutes(5)),
                new BrokerProperties.State(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(15), 20));
    }

    @Test
    void corsOriginsDefaultToTheFrontendsOriginElseThisService() {
        assertThat(properties("https://broker.example.com", "http://App.localhost:3000/some/path", List.of()).allowedOrigins())
                .containsExactly("http://app.localhost:3000");
        assertThat(properties("https://broker.example.com/", "", List.of()).allowedOrigins())
                .containsExactly("https://broker.example.com");
    }

    @Test
    void configuredCorsOriginsReplaceTheDefault() {
        assertThat(properties("https://broker.example.com", "http://app.localhost:3000", List.of("https://a.example.com", " https://b.example.com:8443/ ")).allowedOrigins())
                .containsExactly("https://a.example.com", "https://b.example.com:8443");
    }
}
