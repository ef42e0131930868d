package dev.oauthbroker.provider;

import dev.oauthbroker.BrokerProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Says, for each provider, whether it is configured and if not which environment variables are
 * missing — read from the placeholders the catalogue names, never from their values. Logs one
 * line per provider at startup.
 */
@Component
public class ProviderDiagnostics {

    private static final Logger log = LoggerFactory.getLogger(ProviderDiagnostics.class);

    private final ProviderCatalog catalog;
    private final Environment environment;
    private final Map<String, Object> rawProviders;

    public ProviderDiagnostics(ProviderCatalog catalog, Environment environment, BrokerProperties properties) {
        this.catalog = catalog;
        this.environment = environment;
        this.rawProviders = rawProviders(Path.of(properties.providersFile()));
        for (Provider provider : catalog.providers()) {
            if (provider.available()) {
                log.info("provider {} configured ({} tools: {})", provider.id(), provider.tools().size(),
                        provider.tools().stream().map(Tool::id).toList());
            } else {
                log.info("provider {} unavailable: missing credentials (set {})", provider.id(), missingVariables(provider));
            }
        }
    }

    /** The unset variables behind a provider's {@code clientId} and {@code clientSecret}. */
    @SuppressWarnings("unchecked")
    public List<String> missingVariables(Provider provider) {
        Map<String, Object> entry = (Map<String, Object>) rawProviders.getOrDefault(provider.id(), Map.of());
        return Stream.of("clientId", "clientSecret")
                .flatMap(field -> CatalogLoader.credentialVariables(String.valueOf(entry.get(field))).stream())
                .filter(name -> environment.getProperty(name, "").isBlank())
                .toList();
    }

    public ProviderCatalog catalog() {
        return catalog;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rawProviders(Path file) {
        try (var in = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return (Map<String, Object>) root.getOrDefault("providers", Map.of());
        } catch (Exception e) {
            return Map.of();
        }
    }
}
