package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The service refuses to start on a catalogue with typos, and says every one of them: the catalogue
 * loaded as the service's startup loads it ({@link CatalogConfiguration}: a {@link CatalogLoader}
 * resolving placeholders from the environment), without booting the rest of the application.
 */
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
        MockEnvironment environment = new MockEnvironment().withProperty("wiremock.base", "http://127.0.0.1:9");

        assertThatThrownBy(() -> new CatalogLoader(environment::resolvePlaceholders).load(file))
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(e.getMessage().lines().skip(1).toList()).containsExactly(
                        "  - " + file + ": providers.figma.displayName: missing",
                        "  - " + file + ": providers.figma.refreshConcurency: unknown field",
                        "  - " + file + ": providers.zoom.clientAuth: 'basic' is not one of [\"client_secret_post\",\"client_secret_basic\"]"));
    }
}
