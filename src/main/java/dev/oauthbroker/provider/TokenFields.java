package dev.oauthbroker.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a provider's token answer keeps its tokens (catalogue block {@code tokenFields}): for each
 * RFC 6749 §5.1 field, the dotted paths to look at in order, the first present winning — Slack's
 * code exchange nests the user token under {@code authed_user} while its refresh answers it at the
 * top ({@code access_token: [authed_user.access_token, access_token]}). Unlisted fields are read
 * where RFC 6749 puts them.
 */
public record TokenFields(Map<String, List<String>> paths) {

    /** The RFC 6749 §5.1 fields of a token answer. */
    public static final List<String> NAMES = List.of("access_token", "refresh_token", "token_type", "expires_in", "scope");
    /** Every field where RFC 6749 puts it. */
    public static final TokenFields RFC6749 = new TokenFields(Map.of());

    public TokenFields {
        paths = Map.copyOf(paths);
    }

    /** The answer's token fields, each taken from its first present path (absent fields left out). */
    public Map<String, Object> read(Map<String, ?> answer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : NAMES) {
            for (String path : paths.getOrDefault(name, List.of(name))) {
                Object value = at(answer, path);
                if (value != null && !value.toString().isBlank()) {
                    fields.put(name, value);
                    break;
                }
            }
        }
        return fields;
    }

    private static Object at(Map<String, ?> answer, String path) {
        Object current = answer;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current instanceof Map<?, ?> || current instanceof List<?> ? null : current;
    }
}
