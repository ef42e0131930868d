package dev.oauthbroker.token;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.provider.InvalidGrantException;
import dev.oauthbroker.provider.AdminConsentRequiredException;
import dev.oauthbroker.provider.ProviderRejectedException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.oauthbroker.provider.AnswerRules;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.FormEncoding;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.TokenFields;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Reads a token endpoint's answer in every shape providers really use (../shared/PROVIDER-FACTS.md):
 * JSON or form-encoded (GitHub without {@code Accept}), errors with HTTP 200 (GitHub
 * {@code bad_refresh_token}, Slack {@code ok:false}), comma- or space-separated scopes,
 * {@code expires_in} absent or a string. What an error means (dead grant, try later) and where the
 * tokens sit (Slack's {@code authed_user}) are the provider's catalogue data ({@link AnswerRules},
 * {@link TokenFields}).
 * The body is parsed always, whatever the status; a 200 without an access token is a failure, and
 * a 200 that is neither JSON nor a form (an HTML page) a transient one, retried like a 503.
 */
@Component("tokenResponses")
public class TokenResponses {

    private final ObjectMapper json = new ObjectMapper();
    private final ProviderCatalog catalog;
    private final Clock clock;

    public TokenResponses(ProviderCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Route step after the token endpoint call: the normalised tokens, or a classified exception.
     * Reads only what it is given: the answer's status, its {@code Retry-After}, its body, and the
     * request that was sent (whose provider says how to read it); the route drops the answer's
     * headers afterwards.
     */
    public TokenSet parse(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Header("Retry-After") String retryAfter,
                          @Body String body, @ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request) {
        Map<String, Object> fields = fields(body);
        if (fields == null && status < 300) {
            // an HTML or otherwise unreadable 200 (a proxy's or maintenance page): a provider failure, retried
            throw new TransientProviderException("unreadable_answer", null);
        }
        Provider provider = catalog.provider(request.provider());
        AnswerRules.Verdict verdict = provider.errors().classify(status, fields == null ? Map.of() : fields);
        switch (verdict.outcome()) {
            case DEAD_GRANT -> throw new InvalidGrantException(verdict.reason());
            case ADMIN_CONSENT_REQUIRED -> throw new AdminConsentRequiredException(
                    catalog.adminConsentBucket(provider.id()).map(Bucket::id).orElse(null));
            case TRANSIENT -> throw new TransientProviderException(verdict.reason(), retryAfter(retryAfter, clock));
            case REJECTED -> throw new ProviderRejectedException(verdict.reason());
            case OK -> { }
        }
        Map<String, Object> tokens = provider.tokenFields().read(fields);
        String accessToken = text(tokens.get("access_token"));
        if (accessToken == null) {
            throw new ProviderRejectedException("no_access_token");
        }
        return new TokenSet(accessToken, text(tokens.get("refresh_token")),
                text(tokens.getOrDefault("token_type", "Bearer")),
                number(tokens.get("expires_in")),
                scopes(text(tokens.get("scope"))));
    }

    /** The answer's fields (JSON object or form-encoded), none for an empty body, null when it is neither. */
    Map<String, Object> fields(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        String trimmed = body.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return json.readValue(trimmed, new TypeReference<Map<String, Object>>() {});
            } catch (Exception e) {
                return null;
            }
        }
        if (trimmed.startsWith("<")) {
            return null;
        }
        try {
            return new LinkedHashMap<>(FormEncoding.decode(trimmed, false));
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }

    /** RFC 9110 §10.2.3: seconds, or an HTTP-date (counted from {@code clock}'s now; past = zero); null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    static List<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        return Arrays.stream(scope.split("[,\\s]+")).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.isBlank() ? null : text;
    }
}
