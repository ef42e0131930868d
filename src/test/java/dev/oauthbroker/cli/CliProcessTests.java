package dev.oauthbroker.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The CLI as operators run it, a separate JVM on the same database, killed mid-command. Its other
 * entry-point tests run in this JVM ({@link CliEntryPointTests}).
 */
@Tag("processes")
class CliProcessTests extends BrokerIntegrationTest {

    static final String TEST_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXkhISE=";
    static final String NEW_KEY = Base64.getEncoder().encodeToString("a-brand-new-key-for-the-rotation!".getBytes(StandardCharsets.UTF_8));

    @Autowired
    DataSource dataSource;

    @Test
    void simulateFailureKilledWhileWaitingForTheProviderLeavesTheGrantByteIdentical() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(403, "atlassian/invalid-grant.json").withFixedDelay(20_000)));
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        String before = snapshot(grant);

        Process cli = start(Map.of(), "simulate-failure", "jira", "--user", "alice");
        await().atMost(Duration.ofSeconds(60)).until(() -> !providers.findAll(postRequestedFor(urlPathEqualTo("/atlassian/token"))).isEmpty());
        cli.destroyForcibly();
        assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(snapshot(grant)).isEqualTo(before);
        providers.resetAll();
        stubToken("/atlassian/token", 200, "atlassian/token-ok.json");
        assertThat(internalToken("alice", "jira", true).statusCode()).as("the killed process's lock is gone").isEqualTo(200);
    }

    /** {@code java … OAuthCli args} with the variables of an operator's shell, {@code env} on top (an empty value unsets one). */
    Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dwiremock.base=" + providers.baseUrl(), "dev.oauthbroker.cli.OAuthCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.remove("SPRING_PROFILES_ACTIVE");
        environment.put("SPRING_DATASOURCE_URL", ((HikariDataSource) dataSource).getJdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
        environment.put("ENCRYPTION_KEY", TEST_KEY);
        environment.put("APP_JWT_SECRET", "test-jwt-secret-that-is-long-enough-for-hs256!!");
        environment.put("BROKER_SERVICE_KEY", SERVICE_KEY);
        environment.put("BROKER_PROVIDERS_FILE", "src/test/resources/providers-test.yaml");
        // an empty value unsets the variable
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
        return builder.start();
    }

    String snapshot(Grant grant) {
        return jdbc.queryForObject("select g::text from grants g where id = ?", String.class, grant.id())
                + jdbc.queryForList("select t::text from grant_tools t where grant_id = ? order by tool", String.class, grant.id())
                + jdbc.queryForList("select (e.id, e.event, e.detail, e.at)::text from grant_events e where grant_id = ? order by id", String.class, grant.id());
    }
}
