package dev.oauthbroker.web;

import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an exception caught by a route into the JSON error of DESIGN.md. The database being
 * unreachable is {@code 503 service_unavailable} with {@code Retry-After}; other unexpected
 * exceptions become a bare 500. Their messages may hold provider output, so they are logged by
 * class only.
 */
@Component("errorResponses")
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    public Map<String, Object> render(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String error;
        String message;
        if (cause instanceof BrokerException be) {
            status = be.status();
            error = be.error();
            message = be.getMessage();
        } else if (DatabaseOutage.isCauseOf(cause)) {
            log.warn("database unavailable in route {}: {}", exchange.getFromRouteId(), cause.getClass().getName());
            status = 503;
            error = "service_unavailable";
            message = "the service is briefly unavailable; try again in a few seconds";
            exchange.getMessage().setHeader("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
        } else {
            log.error("unexpected failure in route {}: {}", exchange.getFromRouteId(),
                    cause == null ? "unknown" : cause.getClass().getName());
            status = 500;
            error = "internal_error";
            message = "the broker failed to handle this request";
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
        return Map.of("error", error, "message", message);
    }
}
