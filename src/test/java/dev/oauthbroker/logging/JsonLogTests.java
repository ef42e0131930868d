package dev.oauthbroker.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerProcess;
import dev.oauthbroker.OperatorFlows;
import dev.oauthbroker.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The service as an operator runs it with {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} and
 * {@code DEBUG_OAUTH=true}: its own JVM on the main classpath only (Spring Boot's own logging
 * setup, not the tests'), on the shared test database and WireMock providers. Every line it
 * prints is JSON; each OAuth operation's line carries its fields; none holds a token, code,
 * verifier, secret, JWT or key.
 */
@Tag("processes")
class JsonLogTests extends OperatorFlows {

    private static final String ENCRYPTION_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXkhISE=";

    @Autowired
    DataSource dataSource;

    private int childPort;

    @Override
    protected String baseUrl() {
        return "http://localhost:" + childPort;
    }

    @Test
    void everyLineIsJsonWithTheOperationsFieldsAndNoSecret() throws Exception {
        Path log = Path.of("target", "json-log-test.out");
        List<String> provided = new ArrayList<>();
        try (BrokerProcess service = start(log)) {
            connectGithub("json-user");
            refreshGoogleAfterTwoFailures("json-user");
            refreshDeadAtlassianGrant("json-user");
            disconnectGithub("json-user");
            validate("json-user");
            providers.findAll(postRequestedFor(urlPathEqualTo("/github/token"))).forEach(request -> provided.add(request.getBodyAsString()));
        }

        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = JSON.readTree(line);
            assertThat(json.isObject()).as("a JSON object: %s", line).isTrue();
            assertThat(json.has("@timestamp") && json.has("message")).as("ECS: %s", line).isTrue();
            if (json.has("event")) {
                events.add(json);
            }
        }
        assertOperation(events, "connect.completed", "provider", "github", "toolType", "github", "userId", "json-user");
        JsonNode retry = assertOperation(events, "refresh.attempt_failed.retrying", "provider", "google", "attempt", "1");
        assertThat(retry.get("nextDelayMs").asLong()).isPositive();
        assertOperation(events, "refresh.attempt_failed.retrying", "provider", "google", "attempt", "2");
        assertOperation(events, "refresh.succeeded", "provider", "google", "toolType", "google_workspace");
        assertOperation(events, "refresh.dead_grant", "provider", "atlassian", "toolType", "jira");
        assertOperation(events, "revoke.revoked", "provider", "github");
        JsonNode validated = assertOperation(events, "validate.valid", "provider", "google");
        assertThat(events).as("DEBUG_OAUTH=true: the flows' debug lines")
                .anyMatch(e -> e.path("log.level").asText(e.path("log").path("level").asText()).equals("DEBUG"));
        for (JsonNode operation : List.of(retry, validated)) {
            assertThat(operation.has("grantId") && operation.has("userId") && operation.has("durationMs")).as(operation.toString()).isTrue();
        }

        String verifier = provided.stream().flatMap(body -> Arrays.stream(body.split("&")))
                .filter(pair -> pair.startsWith("code_verifier=")).map(pair -> pair.substring("code_verifier=".length())).findFirst().orElseThrow();
        // every test token and the code contain SECRET; a variable name such as GITLAB_CLIENT_SECRET is not one
        List<String> secrets = List.of(verifier, "github-client-secret-value", "google-client-secret-value", "atlassian-client-secret-value",
                TestUsers.SECRET, TestUsers.jwt("json-user"), ENCRYPTION_KEY, SERVICE_KEY);
        for (String line : lines) {
            assertThat(line).as("a log line holding a secret").doesNotContain(secrets).doesNotContainPattern("(?<![A-Z]_)SECRET")
                    .doesNotContainPattern("eyJ[A-Za-z0-9_-]{10,}\\.");
        }
    }

    /** The line of {@code event} whose fields hold the given values; fails naming what was logged. */
    private static JsonNode assertOperation(List<JsonNode> events, String event, String... fields) {
        return events.stream().filter(e -> e.get("event").asText().equals(event))
                .filter(e -> {
                    for (int i = 0; i < fields.length; i += 2) {
                        if (!e.path(fields[i]).asText().equals(fields[i + 1])) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst().orElseThrow(() -> new AssertionError("no " + event + " line with " + Arrays.toString(fields) + " in "
                        + events.stream().map(e -> e.get("event").asText()).collect(Collectors.toList())));
    }

    /** The service's own build in a JVM of its own: the main classpath only (no test profile), configured by its environment. */
    private BrokerProcess start(Path log) {
        BrokerProcess service = BrokerInstances.onSharedDatabase(dataSource).profiles()
                .catalogue(Path.of("src/test/resources/providers-test.yaml"))
                .with("broker.refresh.initial-delay", "20").with("broker.refresh.max-delay", "300").with("broker.sweep.enabled", "false")
                .process().mainClasspathOnly().output(log)
                .environment(Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs", "DEBUG_OAUTH", "true",
                        "ENCRYPTION_KEY", ENCRYPTION_KEY, "APP_JWT_SECRET", TestUsers.SECRET, "BROKER_SERVICE_KEY", SERVICE_KEY))
                .start();
        childPort = service.port();
        return service;
    }
}
