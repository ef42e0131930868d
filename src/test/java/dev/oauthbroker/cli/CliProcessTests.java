package dev.oauthbroker.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenKey;
import dev.oauthbroker.grant.Grant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The CLI as operators run it: a separate JVM on the same database — including being killed mid-command. */
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

    @Test
    void rotateKeyReencryptsEverythingUnderTheNewKeyAndResumes() throws Exception {
        Grant grant = connected("alice", "atlassian", List.of("jira", "confluence"), "at-SECRET-a", "rt-SECRET-a", 3600L);
        connected("bob", "github", List.of("github"), "gho_SECRET-b", null, null);
        Map<String, String> rotation = Map.of("ENCRYPTION_KEY", NEW_KEY, "ENCRYPTION_KEYS_PREVIOUS", TEST_KEY);

        Result first = run(rotation, "rotate-key", "--json");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("\"rotated\" : 2").doesNotContain("SECRET");
        Result second = run(rotation, "rotate-key");
        assertThat(second.output()).containsPattern("grants\\s+0\\s+2\\s+0\\s+0");

        AesGcmTokenCipher onlyNewKey = new AesGcmTokenCipher(TokenKey.fromBase64("new", NEW_KEY), List.of());
        Map<String, Object> raw = jdbc.queryForMap("select access_token, refresh_token from grants where id = ?", grant.id());
        assertThat(onlyNewKey.decrypt((byte[]) raw.get("access_token"), "grant:" + grant.id() + ":access_token")).isEqualTo("at-SECRET-a");
        assertThat(onlyNewKey.decrypt((byte[]) raw.get("refresh_token"), "grant:" + grant.id() + ":refresh_token")).isEqualTo("rt-SECRET-a");
        assertThat(jdbc.queryForObject("select count(*) from grant_events where event = 'key_rotated'", Integer.class)).isEqualTo(2);
    }

    @Test
    void theMainEntryPointAnswersWithExitCodes() throws Exception {
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
    void verboseShowsTheBrokersOwnLinesOnceItsLoggingIsSetUp() throws Exception {
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

    Result run(Map<String, String> env, String... args) throws Exception {
        Process process = start(env, args);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

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
