package dev.oauthbroker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings ({@code broker.*} in application.yaml, each mapped from an environment
 * variable of DESIGN.md's configuration table).
 */
@ConfigurationProperties("broker")
public record BrokerProperties(
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("") String frontendUrl,
        @DefaultValue("config/providers.yaml") String providersFile,
        @DefaultValue Refresh refresh,
        @DefaultValue State state) {

    /** Where the browser lands after a callback: {@code FRONTEND_URL}, else this service's own UI. */
    public String frontendBase() {
        String base = frontendUrl.isBlank() ? publicBaseUrl : frontendUrl;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String redirectUri() {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/oauth/callback";
    }

    /** Refresh timing. Retries themselves are configured on the Camel route (broker.refresh.* placeholders). */
    public record Refresh(@DefaultValue("5m") Duration buffer) {}

    /** Authorization request state: lifetime, and when leftovers are swept. */
    public record State(@DefaultValue("10m") Duration maxAge, @DefaultValue("15m") Duration sweepAfter) {}
}
