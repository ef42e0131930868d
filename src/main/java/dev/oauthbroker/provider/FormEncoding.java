package dev.oauthbroker.provider;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code application/x-www-form-urlencoded}, both ways: query strings, form bodies, token answers. */
public final class FormEncoding {

    private FormEncoding() {}

    /**
     * Decodes {@code a=1&b=2}; the first value of a repeated name wins, unless {@code rejectRepeats},
     * where a repeated name is an error (an attacker appending a second {@code state} or {@code code}).
     */
    public static Map<String, String> decode(String raw, boolean rejectRepeats) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (fields.putIfAbsent(name, value) != null && rejectRepeats) {
                throw new IllegalArgumentException("repeated parameter '" + name.replaceAll("[^A-Za-z0-9_]", "") + "'");
            }
        }
        return fields;
    }

    public static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
