package dev.oauthbroker.provider;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says, for each provider, whether it is configured and if not which environment variables are
 * missing — the placeholders the catalogue names ({@link Provider#credentialVariables()}), never
 * their values. Logs one line per provider at startup.
 */
@Component
public class ProviderDiagnostics {

    private static final Logger log = LoggerFactory.getLogger(ProviderDiagnostics.class);

    private final ProviderCatalog catalog;
    private final Environment environment;

    public ProviderDiagnostics(ProviderCatalog catalog, Environment environment) {
        this.catalog = catalog;
        this.environment = environment;
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
    public List<String> missingVariables(Provider provider) {
        return provider.credentialVariables().stream()
                .filter(name -> environment.getProperty(name, "").isBlank())
                .toList();
    }

    public ProviderCatalog catalog() {
        return catalog;
    }
}
