package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** The demo's generated secrets are readable by their owner only, and the demo listens on loopback unless told otherwise. */
class DemoSecretsTests {

    @TempDir
    Path dataDir;

    final List<String> warnings = new ArrayList<>();
    final DemoSecrets demoSecrets = new DemoSecrets(destination -> new NoOpLog() {
        @Override
        public void warn(Object message) {
            warnings.add(String.valueOf(message));
        }
    });

    @Test
    void aNewSecretsFileIsOwnerOnlyAndTheDemoListensOnLoopback() throws IOException {
        MockEnvironment environment = demo();
        demoSecrets.postProcessEnvironment(environment, new SpringApplication());

        Path file = dataDir.resolve("demo-secrets.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(read(file).stringPropertyNames()).containsExactlyInAnyOrderElementsOf(DemoSecrets.NAMES);
        try (var files = Files.list(dataDir)) {
            assertThat(files).as("no draft left behind").containsExactly(file);
        }
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(warnings).filteredOn(w -> w.contains("listening on")).containsExactly(
                "DEMO PROFILE: listening on 127.0.0.1 only, as the demo's sign-in lets anyone act as any user; set SERVER_ADDRESS to listen elsewhere");
    }

    @Test
    void anExistingFileIsMadeOwnerOnlyAndKeepsItsSecrets() throws IOException {
        demoSecrets.postProcessEnvironment(demo(), new SpringApplication());
        Path file = dataDir.resolve("demo-secrets.properties");
        Properties before = read(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        MockEnvironment again = demo();
        demoSecrets.postProcessEnvironment(again, new SpringApplication());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(read(file)).isEqualTo(before);
        assertThat(again.getProperty("APP_JWT_SECRET")).isEqualTo(before.getProperty("APP_JWT_SECRET"));
    }

    @Test
    void aFileMissingASecretIsRewrittenOwnerOnly() throws IOException {
        Path file = dataDir.resolve("demo-secrets.properties");
        Files.writeString(file, "APP_JWT_SECRET=kept-from-before-kept-from-before-kept\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        demoSecrets.postProcessEnvironment(demo(), new SpringApplication());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(read(file).getProperty("APP_JWT_SECRET")).isEqualTo("kept-from-before-kept-from-before-kept");
        assertThat(read(file).stringPropertyNames()).containsExactlyInAnyOrderElementsOf(DemoSecrets.NAMES);
    }

    @Test
    void serverAddressChoosesWhereTheDemoListensAndTheLogSaysSo() {
        MockEnvironment environment = demo().withProperty("server.address", "0.0.0.0");
        demoSecrets.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
        assertThat(warnings).filteredOn(w -> w.contains("listening on")).containsExactly(
                "DEMO PROFILE: listening on 0.0.0.0 (SERVER_ADDRESS): the demo's sign-in lets anyone who reaches it act as any user");
    }

    @Test
    void outsideTheDemoNothingIsWrittenOrBound() throws IOException {
        MockEnvironment environment = new MockEnvironment().withProperty("broker.data-dir", dataDir.toString());
        demoSecrets.postProcessEnvironment(environment, new SpringApplication());
        try (var files = Files.list(dataDir)) {
            assertThat(files).isEmpty();
        }
        assertThat(environment.getProperty("server.address")).isNull();
    }

    private MockEnvironment demo() {
        MockEnvironment environment = new MockEnvironment().withProperty("broker.data-dir", dataDir.toString());
        environment.setActiveProfiles("demo");
        return environment;
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }
}
