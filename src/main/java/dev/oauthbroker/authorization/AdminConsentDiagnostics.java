package dev.oauthbroker.authorization;

import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs at startup one line per tool that needs an administrator's consent (catalogue
 * {@code adminConsent.scopes}): an operator sees which tools a non-admin cannot connect alone, and
 * which bucket's admin-consent link covers them.
 */
@Component
public class AdminConsentDiagnostics {

    private static final Logger log = LoggerFactory.getLogger(AdminConsentDiagnostics.class);

    public AdminConsentDiagnostics(ProviderCatalog catalog) {
        for (Provider provider : catalog.providers()) {
            for (Tool tool : catalog.adminConsentTools(provider)) {
                OAuthLog.event(log, "catalogue.admin_consent_tool").provider(provider.id()).tool(tool.id())
                        .with("scopes", String.join(",", provider.adminConsent().adminScopesOf(tool)))
                        .with("bucket", catalog.adminConsentBucket(provider.id()).map(Bucket::id).orElse(null))
                        .info("tool needs an administrator's consent; users of an organisation whose admin consented connect it");
            }
        }
    }
}
