package dev.oauthbroker.web;

import dev.oauthbroker.BrokerProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import java.util.EnumSet;
import java.util.List;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.CompositeFilter;

/**
 * The service's own servlet filters, registered with the container as two filters instead of seven:
 * Tomcat looks every registered filter up under one lock on every request
 * ({@code StandardContext.findFilterConfig} is {@code synchronized}), and at 64 concurrent requests
 * the request threads queued there (docs/benchmarks.md). In this order: the edge filters (body
 * limit, form body check, CORS, security headers, authentication) right after Spring's
 * character-encoding and observation filters, which read no body; last, the error-path guard and
 * {@link RouteDispatch}. Each is a {@code OncePerRequestFilter} and decides per dispatch as before.
 * They are built here, not beans of their own: Spring Boot would register each bean that is a filter.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceFilters {

    @Bean
    FilterRegistrationBean<CompositeFilter> edgeFilters(BrokerProperties properties, UserAuthentication users, BackendClientCheck clients) {
        return group("edgeFilters", Ordered.HIGHEST_PRECEDENCE + 2, new BodyLimitFilter(properties), new FormBodyCheck(),
                ApiCors.filter(properties), new UiPages.SecurityHeaders(), new ApiAuthenticationFilter(users, clients));
    }

    @Bean
    FilterRegistrationBean<CompositeFilter> routeFilters(@Value("${server.error.path:/error}") String errorPath,
                                                         ObjectProvider<CamelRequestHandlerMapping> mappings) {
        return group("routeFilters", Ordered.LOWEST_PRECEDENCE, new ErrorPathGuard(errorPath), new RouteDispatch(mappings));
    }

    private static FilterRegistrationBean<CompositeFilter> group(String name, int order, Filter... members) {
        CompositeFilter composite = new CompositeFilter() {
            @Override
            public void init(FilterConfig config) {
                // given the group's config, every OncePerRequestFilter would take the group's name and
                // skip as "already filtered"; without one, each is known by its class
            }
        };
        composite.setFilters(List.of(members));
        FilterRegistrationBean<CompositeFilter> registration = new FilterRegistrationBean<>(composite);
        registration.setName(name);
        registration.setOrder(order);
        // as each member was registered (a OncePerRequestFilter is, on every dispatch type): each decides itself
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return registration;
    }
}
