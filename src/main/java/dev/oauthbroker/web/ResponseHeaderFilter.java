package dev.oauthbroker.web;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Header filter of the platform-http endpoints: inbound as Camel's default; outbound only the
 * headers our answers mean to send. platform-http would otherwise echo every request header
 * (including {@code Authorization}) and every internal header back to the caller.
 */
@Component("responseHeaderFilter")
public class ResponseHeaderFilter extends HttpHeaderFilterStrategy {

    private static final Set<String> OUTBOUND = Set.of("content-type", "location", "referrer-policy",
            "cache-control", "retry-after", "www-authenticate", "x-content-type-options", "content-security-policy");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !OUTBOUND.contains(headerName.toLowerCase());
    }
}
