package dev.oauthbroker.provider;

import dev.oauthbroker.BrokerProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.yaml.snakeyaml.Yaml;

/** Loads the catalogue at startup and logs one line per provider: configured or why not. */
@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CatalogConfiguration.class);

    @Bean
    ProviderCatalog providerCatalog(BrokerProperties properties, Environment environment) {
        Path file = Path.of(properties.providersFile());
        ProviderCatalog catalog = new CatalogLoader(environment::resolvePlaceholders).load(file);
        Map<String, Object> raw = rawProviders(file);
        for (Provider provider : catalog.providers()) {
            if (provider.available()) {
                log.info("provider {} configured ({} tools: {})", provider.id(), provider.tools().size(),
                        provider.tools().stream().map(Tool::id).toList());
            } else {
                log.info("provider {} unavailable: missing credentials (set {})", provider.id(), missingVariables(raw, provider, environment));
            }
        }
        return catalog;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rawProviders(Path file) {
        try (var in = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml().load(in);
            return (Map<String, Object>) root.get("providers");
        } catch (Exception e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> missingVariables(Map<String, Object> raw, Provider provider, Environment environment) {
        Map<String, Object> entry = (Map<String, Object>) raw.getOrDefault(provider.id(), Map.of());
        return java.util.stream.Stream.of("clientId", "clientSecret")
                .flatMap(field -> CatalogLoader.credentialVariables(String.valueOf(entry.get(field))).stream())
                .filter(name -> environment.getProperty(name, "").isBlank())
                .toList();
    }
}
