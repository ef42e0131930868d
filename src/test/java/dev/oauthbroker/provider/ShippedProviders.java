package dev.oauthbroker.provider;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.mock.env.MockEnvironment;

/** The shipped {@code config/providers.yaml} with every client id set to {@code <provider>-id}, and canned provider answers. */
public final class ShippedProviders {

    private static final ProviderCatalog CATALOG = load();

    private ShippedProviders() {
    }

    static Provider provider(String id) {
        return CATALOG.provider(id);
    }

    /** The whole shipped catalogue, for the unit tests of the flows' beans (shared: never reload it). */
    public static ProviderCatalog catalog() {
        return CATALOG;
    }

    /** A catalogue of its own, loaded again from the shipped file (for a test that reloads or caches in it). */
    static ProviderCatalog fresh() {
        return load();
    }

    /** A canned answer of {@code src/test/resources/providers/__files}, as its fields. */
    static Map<String, Object> answer(String file) {
        try {
            return new ObjectMapper().readValue(Path.of("src/test/resources/providers/__files", file).toFile(),
                    new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProviderCatalog load() {
        MockEnvironment environment = new MockEnvironment();
        for (String id : new String[] {"GITHUB", "ATLASSIAN", "MICROSOFT", "GOOGLE", "SLACK", "FIGMA", "ZOOM"}) {
            environment.setProperty(id + "_CLIENT_ID", id.toLowerCase() + "-id");
            environment.setProperty(id + "_CLIENT_SECRET", id.toLowerCase() + "-secret");
        }
        return new CatalogLoader(environment::resolvePlaceholders).load(Path.of("config/providers.yaml"));
    }
}
