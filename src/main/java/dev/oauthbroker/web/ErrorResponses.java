package dev.oauthbroker.web;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.BrokerException;
import dev.oauthbroker.postgres.DatabaseOutage;
import dev.oauthbroker.provider.AdminConsentRequiredException;
import dev.oauthbroker.provider.InvalidGrantException;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.ProviderUnavailableException;
import dev.oauthbroker.provider.TransientProviderException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.apache.camel.language.simple.Simple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an exception caught by a route into the JSON error of docs/design.md: our own answers, a
 * provider's failure to issue tokens (dead authorization 400, unavailable 503 with
 * {@code Retry-After}, refused 502 with its sanitised reason), the database being unreachable
 * ({@code 503 service_unavailable} with {@code Retry-After}). Other unexpected exceptions become a
 * bare 500: their messages may hold provider output, so they are logged by class only.
 */
@Component("errorResponses")
public class ErrorResponses {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    /** The HTTP status of a refusal: chosen here, at the edge (docs/design.md's error table). */
    public static int statusOf(BrokerException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FOREIGN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case EXPIRED -> 410;
            case UNAVAILABLE -> 503;
        };
    }

    private final TokenExchanges tokenExchanges;

    public ErrorResponses(TokenExchanges tokenExchanges) {
        this.tokenExchanges = tokenExchanges;
    }

    /**
     * Step of {@code api-error-answer}: the JSON body of the failure {@code cause}; status,
     * {@code Content-Type}, {@code WWW-Authenticate}, {@code Retry-After} and {@code Cache-Control}
     * go into {@code headers}. The token exchange ({@code rfc6749Errors}) answers in RFC 6749 §5.2's
     * shape and records the refusal for its client, user and tool.
     */
    public Map<String, Object> render(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, @Headers Map<String, Object> headers,
                                      @Simple("${fromRouteId}") String route,
                                      @ExchangeProperty(ExchangeProperties.RFC6749_ERRORS) Boolean rfc6749Errors,
                                      @ExchangeProperty(ExchangeProperties.CLIENT_ID) String clientId,
                                      @ExchangeProperty(ExchangeProperties.USER_ID) String userId,
                                      @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String toolType) {
        int status;
        String error;
        String message;
        String bucket = null;
        Duration wait = null;
        Map<String, Object> details = Map.of();
        if (cause instanceof BrokerException be) {
            status = statusOf(be.kind());
            error = be.error();
            message = be.getMessage();
            wait = be.retryAfter();
            details = be.details();
        } else if (cause instanceof AdminConsentRequiredException adminConsent) {
            status = 403;
            bucket = adminConsent.bucket();
            error = "admin_consent_required";
            message = "Your organisation's administrator must approve this application before you can connect it.";
        } else if (cause instanceof InvalidGrantException) {
            status = 400;
            error = "invalid_grant";
            message = "The provider refused the authorization: it expired or was already used. Please start connecting again.";
        } else if (cause instanceof ProviderUnavailableException refused) {
            status = 503;
            error = "provider_unavailable";
            message = "The provider is temporarily unavailable. Please try again in a moment.";
            wait = refused.retryAfter();
        } else if (cause instanceof TransientProviderException transient_) {
            status = 503;
            error = "provider_unavailable";
            message = "The provider is temporarily unavailable. Please try again in a moment.";
            wait = transient_.retryAfter();
        } else if (cause instanceof ProviderException provider) {
            status = 502;
            error = "provider_error";
            message = "The provider refused to issue tokens (" + provider.reason() + ").";
        } else if (DatabaseOutage.isCauseOf(cause)) {
            log.warn("database unavailable in route {}: {}", route, cause.getClass().getName());
            status = 503;
            error = "service_unavailable";
            message = "the service is briefly unavailable; try again in a few seconds";
            wait = DatabaseOutage.RETRY_AFTER;
        } else {
            log.error("unexpected failure in route {}: {}", route,
                    cause == null ? "unknown" : cause.getClass().getName());
            status = 500;
            error = "internal_error";
            message = "the broker failed to handle this request";
        }
        headers.put(Exchange.HTTP_RESPONSE_CODE, status);
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        if (status == 401) {
            headers.put("WWW-Authenticate", "Bearer");
        }
        if (status == 503) {
            headers.put("Retry-After", retryAfterSeconds(wait));
        }
        if (Boolean.TRUE.equals(rfc6749Errors)) {
            if (status < 500 && status != 401) {
                headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            }
            headers.put("Cache-Control", "no-store");
            return tokenExchanges.error(status, error, message, clientId, userId, toolType);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        if (bucket != null) {
            // where the admin-consent link comes from: POST /api/buckets/{bucket}/admin-consent
            body.put("bucket", bucket);
        }
        body.putAll(details);
        return body;
    }

    /** {@code Retry-After} in whole seconds, rounded up (at least 1); the default when unknown. */
    private static long retryAfterSeconds(Duration wait) {
        Duration known = wait == null ? DEFAULT_RETRY_AFTER : wait;
        return Math.max(1, (known.toMillis() + 999) / 1000);
    }
}
