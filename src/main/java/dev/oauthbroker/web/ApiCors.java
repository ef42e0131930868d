package dev.oauthbroker.web;

import dev.oauthbroker.BrokerProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Cross-origin access to the user API for a host's own frontend: exactly the configured origins
 * ({@code BROKER_CORS_ORIGINS}, default {@code FRONTEND_URL}'s origin), the API's methods, the
 * {@code Authorization} and {@code Content-Type} headers, and no cookies (the API authenticates
 * by bearer token only). Any other origin is refused (403). Neither the OAuth callback nor the
 * internal token endpoint is ever reachable cross-origin (RFC 9700 §2.6).
 */
final class ApiCors {

    private static final Logger log = LoggerFactory.getLogger(ApiCors.class);

    private ApiCors() {
    }

    static CorsFilter filter(BrokerProperties properties) {
        List<String> origins = properties.allowedOrigins();
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOrigins(origins);
        api.setAllowedMethods(List.of("GET", "POST", "DELETE"));
        api.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        api.setAllowCredentials(false);
        api.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        log.info("user API open to browser origins {}", origins);
        return new CorsFilter(source);
    }
}
