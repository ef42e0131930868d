package dev.oauthbroker;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
        @DefaultValue List<String> corsOrigins,
        @DefaultValue("10s") Duration requestDeadline,
        @DefaultValue Refresh refresh,
        @DefaultValue State state) {

    /** Where the browser lands after a callback: {@code FRONTEND_URL}, else this service's own UI. */
    public String frontendBase() {
        String base = frontendUrl.isBlank() ? publicBaseUrl : frontendUrl;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * Browser origins allowed to call the user API across origins: {@code BROKER_CORS_ORIGINS}, else
     * the origin of {@link #frontendBase()}.
     */
    public List<String> allowedOrigins() {
        if (!corsOrigins.isEmpty()) {
            return corsOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).map(BrokerProperties::originOf).toList();
        }
        return List.of(originOf(frontendBase()));
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URL: " + url);
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT);
    }

    public String redirectUri() {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/oauth/callback";
    }

    /** Refresh timing. Retries themselves are configured on the Camel route (broker.refresh.* placeholders). */
    public record Refresh(@DefaultValue("5m") Duration buffer) {}

    /**
     * Connect flows in flight: how long the provider may take to call back ({@code maxAge}), how
     * long a called-back code waits for its user to complete ({@code completionMaxAge}), when
     * leftovers are swept, and how many flows one user may have in flight (the oldest dropped).
     */
    public record State(@DefaultValue("10m") Duration maxAge, @DefaultValue("5m") Duration completionMaxAge,
                        @DefaultValue("15m") Duration sweepAfter, @DefaultValue("20") int maxPerUser) {}
}
