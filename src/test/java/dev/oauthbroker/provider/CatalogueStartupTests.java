package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.OAuthBrokerApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The service refuses to start on a catalogue with typos, and says every one of them. */
class CatalogueStartupTests {

    @TempDir
    Path dir;

    @Test
    void aCatalogueWithTyposStopsStartupListingEveryErrorWithFileEntryAndField() throws IOException {
        String catalogue = Files.readString(Path.of("src/test/resources/providers-test.yaml"))
                .replaceFirst("clientAuth: client_secret_basic", "clientAuth: basic")
                .replace("    displayName: Figma\n", "")
                .replace("    refreshConcurrency: 2\n", "    refreshConcurency: 2\n");
        Path file = dir.resolve("providers.yaml");
        Files.writeString(file, catalogue);

        assertThatThrownBy(() -> new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles("test")
                .run("--broker.providers-file=" + file, "--server.port=0", "--wiremock.base=http://127.0.0.1:9"))
                .rootCause()
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(e.getMessage().lines().skip(1).toList()).containsExactly(
                        "  - " + file + ": providers.figma.displayName: missing",
                        "  - " + file + ": providers.figma.refreshConcurency: unknown field",
                        "  - " + file + ": providers.zoom.clientAuth: 'basic' is not one of [\"client_secret_post\",\"client_secret_basic\"]"));
    }
}
