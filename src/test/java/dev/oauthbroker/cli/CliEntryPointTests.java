package dev.oauthbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenKey;
import dev.oauthbroker.grant.Grant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The CLI as operators run it — its own application context in the {@code cli} profile, configured by
 * the variables of their shell, on the same database — but in this JVM: {@link OAuthCli#run} (picocli
 * on the real commands) with the context {@link OAuthCli#startBroker} starts, output and errors captured
 * together as a terminal shows them. The one test that must kill the JVM is {@link CliProcessTests}.
 */
@Tag("extra-contexts")
class CliEntryPointTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    /** The classes after this one still see the JVM's log, debug lines included (LogCapture, the no-secret checks). */
    @AfterEach
    void theLogIsCapturedAsBeforeTheCliRan() {
        String probe = "after the CLI's runs " + System.nanoTime();
        LoggerFactory.getLogger("dev.oauthbroker.cli").debug(probe);
        assertThat(LogCapture.serviceLines()).contains("dev.oauthbroker.cli " + probe);
    }

    @Test
    void rotateKeyReencryptsEverythingUnderTheNewKeyAndResumes() {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        connected("bob", "github", List.of("github"), "gho_SECRET-b", null, null);
        Map<String, String> rotation = Map.of("ENCRYPTION_KEY", CliProcessTests.NEW_KEY, "ENCRYPTION_KEYS_PREVIOUS", CliProcessTests.TEST_KEY);

        Result first = run(rotation, "rotate-key", "--json");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("\"rotated\" : 2").doesNotContain("SECRET");
        Result second = run(rotation, "rotate-key");
        assertThat(second.output()).containsPattern("grants\\s+0\\s+2\\s+0\\s+0");

        AesGcmTokenCipher onlyNewKey = new AesGcmTokenCipher(TokenKey.fromBase64("new", CliProcessTests.NEW_KEY), List.of());
        Map<String, Object> raw = jdbc.queryForMap("select access_token, refresh_token from grants where id = ?", grant.id());
        assertThat(onlyNewKey.decrypt((byte[]) raw.get("access_token"), "grant:" + grant.id() + ":access_token")).isEqualTo("at-SECRET-a");
        assertThat(onlyNewKey.decrypt((byte[]) raw.get("refresh_token"), "grant:" + grant.id() + ":refresh_token")).isEqualTo("rt-SECRET-a");
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'key_rotated'", Integer.class)).isEqualTo(2);
    }

    @Test
    void theEntryPointAnswersWithExitCodes() {
        Result providersList = run(Map.of(), "providers", "--json");
        assertThat(providersList.exit()).isZero();
        assertThat(providersList.output()).contains("\"provider\" : \"atlassian\"");
        assertThat(run(Map.of(), "status", "--nope").exit()).isEqualTo(2);
    }

    @Test
    void withoutAKeyTheCliUsesTheDemosSecretsOnlyWhereTheDemoRanWithoutAnExternalDatabase(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve("demo-secrets.properties"), "");

        Result externalDatabase = run(Map.of("ENCRYPTION_KEY", "", "BROKER_DATA_DIR", dataDir.toString()), "status");
        assertThat(externalDatabase.exit()).isEqualTo(2);
        assertThat(externalDatabase.output()).startsWith("oauth-cli: no ENCRYPTION_KEY set and SPRING_DATASOURCE_URL points at an external database")
                .contains("Set ENCRYPTION_KEY or MCP_ENCRYPTION_KEY", "SPRING_DATASOURCE_URL").doesNotContain("Exception");

        Path elsewhere = dataDir.resolve("no-demo-here");
        Result noDemo = run(Map.of("ENCRYPTION_KEY", "", "SPRING_DATASOURCE_URL", "", "BROKER_DATA_DIR", elsewhere.toString()), "status");
        assertThat(noDemo.exit()).isEqualTo(2);
        assertThat(noDemo.output()).startsWith("oauth-cli: no ENCRYPTION_KEY set and there are no demo secrets here")
                .contains("Set ENCRYPTION_KEY or MCP_ENCRYPTION_KEY", "SPRING_DATASOURCE_URL");
        assertThat(elsewhere).doesNotExist();

        Result demo = run(Map.of("ENCRYPTION_KEY", "", "SPRING_DATASOURCE_URL", "", "BROKER_DATA_DIR", dataDir.toString()), "status", "--json");
        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).startsWith("oauth-cli: no ENCRYPTION_KEY set; using the demo's local secrets in " + dataDir + "/\n");
    }

    @Test
    void verboseShowsTheBrokersOwnLinesOnceItsLoggingIsSetUp() {
        connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);

        Result status = run(Map.of(), "status", "--verbose");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output())
                .containsPattern("(?m)^  \\+ *\\d+ ms  INFO  broker ready: catalogue src/test/resources/providers-test.yaml \\(8 of 9 providers configured\\)$")
                .containsPattern("(?m)^  \\+ *\\d+ ms  INFO  grants of alice read: \\[atlassian active \\[confluence, jira\\]\\] \\(\\d+ ms\\)$")
                .containsPattern("(?m)^alice +2 +2 +0 +0 +0$")
                .doesNotContain("SECRET");
    }

    record Result(int exit, String output) {}

    /**
     * One command line with the variables of the shell {@link CliProcessTests} starts the CLI in, {@code variables} on top (an empty
     * value unsets one); the CLI starts and closes its own context. Its {@code cli} profile turns the log off: the
     * levels of this JVM's loggers are put back after it, for the classes that run next.
     */
    Result run(Map<String, String> variables, String... args) {
        Map<String, Object> shell = new HashMap<>(Map.of("SPRING_DATASOURCE_URL", ((HikariDataSource) dataSource).getJdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", "postgres", "ENCRYPTION_KEY", CliProcessTests.TEST_KEY,
                "APP_JWT_SECRET", "test-jwt-secret-that-is-long-enough-for-hs256!!", "BROKER_SERVICE_KEY", SERVICE_KEY,
                "BROKER_PROVIDERS_FILE", "src/test/resources/providers-test.yaml", "wiremock.base", providers.baseUrl()));
        variables.forEach((name, value) -> {
            if (value.isEmpty()) {
                shell.remove(name);
            } else {
                shell.put(name, value);
            }
        });
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("shell", shell));
        StringWriter terminal = new StringWriter();
        PrintWriter both = new PrintWriter(terminal, true);
        Map<Logger, Level> levels = levels();
        try {
            int exit = OAuthCli.run(args, both, both, false, () -> OAuthCli.startBroker(both, environment), true);
            return new Result(exit, terminal.toString());
        } finally {
            LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
            logback.getLoggerList().forEach(logger -> logger.setLevel(levels.get(logger)));
        }
    }

    private static Map<Logger, Level> levels() {
        Map<Logger, Level> levels = new LinkedHashMap<>();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLoggerList().forEach(logger -> levels.put(logger, logger.getLevel()));
        return levels;
    }
}
