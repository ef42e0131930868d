package dev.oauthbroker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The bundled UI's pages (plain files under {@code static/}) at their product paths, and the
 * headers every response carries: no referrer (an authorization code in our URL never travels
 * on), no MIME sniffing, and for pages a strict same-origin content policy (no external requests).
 */
@Configuration(proxyBeanMethods = false)
public class UiPages implements WebMvcConfigurer {

    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName("forward:/onboarding.html");
        registry.addViewController("/onboarding").setViewName("forward:/onboarding.html");
        registry.addViewController("/integrations/callback").setViewName("forward:/callback.html");
        registry.addViewController("/settings/integrations").setViewName("forward:/settings.html");
    }

    /** The headers of every response; before authentication (ServiceFilters): its refusals carry them too. */
    static final class SecurityHeaders extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setHeader("X-Content-Type-Options", "nosniff");
            if (!request.getRequestURI().startsWith("/api/") && !request.getRequestURI().startsWith("/internal/")) {
                response.setHeader("Content-Security-Policy", CSP);
            }
            chain.doFilter(request, response);
        }
    }
}
