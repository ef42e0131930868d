package dev.oauthbroker;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the flow tests: the real application on a random port with {@code routes/} loaded, a
 * real (embedded) PostgreSQL, and every provider pointed at one WireMock server. All subclasses
 * share one Spring context (Spring's context cache): do not add configuration in subclasses.
 */
@CamelSpringBootTest
@SpringBootTest(classes = OAuthBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class BrokerIntegrationTest {

    protected static final WireMockServer providers = TestProviders.server();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void providerUrls(DynamicPropertyRegistry registry) {
        registry.add("wiremock.base", providers::baseUrl);
    }

    @BeforeEach
    void resetWorld() {
        providers.resetAll();
        jdbc.execute("truncate grant_events, grant_tools, grants, oauth_states, sweep_runs");
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }
}
