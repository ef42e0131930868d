package dev.oauthbroker.provider;

import dev.oauthbroker.BrokerProperties;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Loads the catalogue at startup; an invalid file stops the service with every problem listed. */
@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    @Bean
    ProviderCatalog providerCatalog(BrokerProperties properties, Environment environment) {
        return new CatalogLoader(environment::resolvePlaceholders).load(Path.of(properties.providersFile()));
    }
}
