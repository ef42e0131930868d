package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.boot.convert.DurationStyle;

/**
 * Reads values of a schema-checked catalogue with placeholders resolved, and checks what only the
 * resolved value shows (an https URL, a boolean or duration behind a placeholder). Lenient about
 * shape — the schema has already reported a wrong type — and collects problems instead of throwing.
 */
final class CatalogValues {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final UnaryOperator<String> resolver;
    private final List<String> errors = new ArrayList<>();

    CatalogValues(UnaryOperator<String> resolver) {
        this.resolver = resolver;
    }

    List<String> errors() {
        return errors;
    }

    void error(String at, String problem) {
        errors.add(at + ": " + problem);
    }

    String text(JsonNode m, String key, String absent) {
        JsonNode raw = m.path(key);
        return raw.isValueNode() ? resolver.apply(raw.asText()).trim() : absent;
    }

    /** A URL field: https, or plain http on loopback only; null when absent or resolved empty. */
    String url(JsonNode m, String key, String at) {
        String value = text(m, key, null);
        if (value == null || value.isEmpty()) {
            if (value != null) {
                error(at + "." + key, "resolves to an empty URL");
            }
            return null;
        }
        try {
            URI uri = URI.create(value.replace("{clientId}", "client"));
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost())))) {
                error(at + "." + key, "'" + value + "' must be an https URL (plain http only on loopback)");
            }
        } catch (IllegalArgumentException e) {
            error(at + "." + key, "'" + value + "' is not a URL");
        }
        return value;
    }

    /** A boolean, or a placeholder resolving to one (the schema reports any other text). */
    boolean bool(JsonNode m, String key, boolean absent, String at) {
        JsonNode raw = m.path(key);
        if (raw.isBoolean() || !raw.isValueNode()) {
            return raw.asBoolean(absent);
        }
        String value = resolver.apply(raw.asText()).trim();
        if (raw.asText().contains("${") && !value.equals("true") && !value.equals("false")) {
            error(at + "." + key, "'" + value + "' must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    Duration duration(JsonNode m, String key, String absent, String at) {
        String value = text(m, key, absent);
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            error(at + "." + key, "'" + value + "' is not a duration (e.g. 10m, 90s)");
            return Duration.ZERO;
        }
    }

    List<String> strings(JsonNode m, String key) {
        List<String> out = new ArrayList<>();
        m.path(key).forEach(item -> out.add(resolver.apply(item.asText())));
        return List.copyOf(out);
    }

    Map<String, String> stringMap(JsonNode m, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        m.path(key).fields().forEachRemaining(e -> out.put(e.getKey(), resolver.apply(e.getValue().asText())));
        return out;
    }

    <E extends Enum<E>> E enumValue(Class<E> type, JsonNode raw, E absent) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(raw.asText())) {
                return e;
            }
        }
        return absent;
    }

    /** Block {@code errors}; each field defaults to plain RFC 6749 ({@link AnswerRules#RFC6749}). */
    AnswerRules answerRules(JsonNode m) {
        AnswerRules rfc = AnswerRules.RFC6749;
        return new AnswerRules(m.path("field").asText(rfc.field()), m.path("okField").asText(null),
                m.path("errorFlagField").asText(null), m.path("descriptionField").asText(rfc.descriptionField()),
                m.has("deadGrantCodes") ? Set.copyOf(strings(m, "deadGrantCodes")) : rfc.deadGrantCodes(),
                strings(m, "deadGrantDescriptionCodes"),
                m.has("transientCodes") ? Set.copyOf(strings(m, "transientCodes")) : rfc.transientCodes(),
                strings(m, "adminConsentCodes"));
    }

    /** Block {@code tokenFields}: where the token answer keeps each field; RFC 6749 §5.1 when absent. */
    TokenFields tokenFields(JsonNode m) {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> paths.put(e.getKey(), strings(m, e.getKey())));
        return new TokenFields(paths);
    }

    /** Block {@code revocation}; defaults are RFC 7009 §2.1. */
    RevocationSpec revocation(JsonNode m, String at) {
        List<String> tokens = m.has("tokens") ? strings(m, "tokens") : List.of("refresh_token", "access_token");
        return new RevocationSpec(url(m, "url", at), m.path("method").asText("POST"),
                enumValue(RevocationSpec.Auth.class, m.path("auth"), RevocationSpec.Auth.client_auth),
                enumValue(RevocationSpec.Body.class, m.path("body"), RevocationSpec.Body.form),
                List.copyOf(new LinkedHashSet<>(tokens)), m.path("tokenParameter").asText("token"),
                bool(m, "tokenTypeHint", true, at), m.path("okField").asText(null), Set.copyOf(strings(m, "alreadyRevokedCodes")),
                stringMap(m, "headers"));
    }

    /** Block {@code identity}: a GET with the access token as bearer unless it says otherwise. */
    IdentitySpec identity(JsonNode m, String at) {
        return new IdentitySpec(url(m, "url", at), m.path("method").asText("GET"), m.path("okField").asText(null),
                m.path("errorField").asText("error"), Set.copyOf(strings(m, "rejectedCodes")));
    }
}
