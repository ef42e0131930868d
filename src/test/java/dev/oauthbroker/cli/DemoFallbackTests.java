package dev.oauthbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class DemoFallbackTests {

    @TempDir
    Path dataDir;

    @Test
    void aKeyOrTheDemoProfileNeedsNoFallback() {
        assertThat(DemoFallback.needed(environment().withProperty("ENCRYPTION_KEY", "k"))).isFalse();
        assertThat(DemoFallback.needed(environment().withProperty("MCP_ENCRYPTION_KEY", "k"))).isFalse();
        MockEnvironment demo = environment();
        demo.setActiveProfiles("demo");
        assertThat(DemoFallback.needed(demo)).isFalse();
    }

    @Test
    void theDemosSecretsAreUsedWhereTheDemoRanAndNoExternalDatabaseIsSet() throws IOException {
        Files.writeString(dataDir.resolve("demo-secrets.properties"), "");
        assertThat(DemoFallback.needed(environment())).isTrue();
        assertThat(DemoFallback.notice(environment())).isEqualTo("oauth-cli: no ENCRYPTION_KEY set; using the demo's local secrets in " + dataDir + "/");
        assertThat(DemoFallback.needed(environment().withProperty("ENCRYPTION_KEY", " "))).as("a blank key is no key").isTrue();
    }

    @Test
    void elsewhereAMissingKeyStopsTheCliNamingTheVariables() throws IOException {
        assertThatThrownBy(() -> DemoFallback.needed(environment())).isInstanceOf(DemoFallback.MissingConfiguration.class)
                .hasMessageContaining("no demo secrets here").hasMessageContaining("Set ENCRYPTION_KEY or MCP_ENCRYPTION_KEY");
        Files.writeString(dataDir.resolve("demo-secrets.properties"), "");
        MockEnvironment production = environment().withProperty("spring.datasource.url", "jdbc:postgresql://db/broker");
        production.setActiveProfiles("prod");
        assertThatThrownBy(() -> DemoFallback.needed(production)).isInstanceOf(DemoFallback.MissingConfiguration.class)
                .hasMessageContaining("SPRING_DATASOURCE_URL points at an external database");
    }

    private MockEnvironment environment() {
        return new MockEnvironment().withProperty("broker.data-dir", dataDir.toString());
    }
}
