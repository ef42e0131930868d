package dev.oauthbroker.web;

import dev.oauthbroker.BrokerProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
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
@Configuration(proxyBeanMethods = false)
public class ApiCors {

    private static final Logger log = LoggerFactory.getLogger(ApiCors.class);

    @Bean
    FilterRegistrationBean<CorsFilter> apiCorsFilter(BrokerProperties properties) {
        List<String> origins = properties.allowedOrigins();
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOrigins(origins);
        api.setAllowedMethods(List.of("GET", "POST", "DELETE"));
        api.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        api.setAllowCredentials(false);
        api.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        log.info("user API open to browser origins {}", origins);
        return registration;
    }
}
