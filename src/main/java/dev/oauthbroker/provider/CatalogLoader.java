package dev.oauthbroker.provider;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads and validates {@code config/providers.yaml}. Every problem is collected before failing, and
 * each names the file, the entry and the field, so an integrator fixes them all in one go.
 * Placeholders ({@code ${GITHUB_CLIENT_ID:}}) are resolved by the given resolver. A provider with
 * {@code enabled: false} is validated but left out, with its tools and buckets.
 */
public class CatalogLoader {

    static final Set<String> TOP_KEYS = Set.of("providers", "buckets");
    static final Set<String> PROVIDER_KEYS = Set.of("enabled", "displayName", "dialect", "authorizeUrl", "tokenUrl",
            "refreshUrl", "revocationUrl", "userinfoUrl", "issuer", "clientId", "clientSecret", "clientAuth", "pkce",
            "scopes", "authorizeParams", "refreshTokenRotation", "refreshTokenReuseLeeway", "replayAfterTimeout", "refreshBuffer",
            "refreshConcurrency", "tools");
    static final Set<String> TOOL_KEYS = Set.of("displayName", "scopes", "gives", "comingSoon");
    static final Set<String> BUCKET_KEYS = Set.of("displayName", "provider", "tools");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    /** Parameters the broker sets itself; an entry's authorizeParams may not override them. */
    static final Set<String> RESERVED_AUTHORIZE_PARAMS = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "user_scope", "state", "code_challenge", "code_challenge_method");
    /** Refresh calls in flight to one provider when its entry does not say ({@code refreshConcurrency}). */
    static final int DEFAULT_REFRESH_CONCURRENCY = 8;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)");

    private final UnaryOperator<String> resolver;

    public CatalogLoader(UnaryOperator<String> resolver) {
        this.resolver = resolver;
    }

    public ProviderCatalog load(Path file) {
        Object root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read the provider catalogue (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new CatalogException(file + ": not valid YAML (" + e.getMessage() + ")");
        }
        return new Parse(file.toString()).catalog(root);
    }

    /** The variables named by placeholders in an entry's raw {@code clientId} and {@code clientSecret}. */
    private static List<String> credentialVariables(Map<String, Object> entry) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("clientId", "clientSecret")) {
            Matcher m = PLACEHOLDER.matcher(String.valueOf(entry.get(field)));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return List.copyOf(names);
    }

    private final class Parse {
        private final String file;
        private final List<String> errors = new ArrayList<>();
        private final Map<String, String> toolOwner = new LinkedHashMap<>();

        Parse(String file) {
            this.file = file;
        }

        ProviderCatalog catalog(Object root) {
            Map<String, Object> top = map(root, "(top level)");
            unknownKeys(top, TOP_KEYS, "(top level)");
            Map<String, Provider> providers = new LinkedHashMap<>();
            Set<String> disabled = new java.util.HashSet<>();
            map(top.get("providers"), "providers").forEach((id, raw) -> {
                Map<String, Object> entry = map(raw, "providers." + id);
                Provider p = provider(id, entry);
                if (!bool(entry.getOrDefault("enabled", Boolean.TRUE), "providers." + id + ".enabled")) {
                    disabled.add(id);
                } else if (p != null) {
                    providers.put(id, p);
                }
            });
            if (providers.isEmpty() && !top.containsKey("providers")) {
                error("providers", "missing: the catalogue needs at least one provider");
            }
            Map<String, Bucket> buckets = new LinkedHashMap<>();
            Object rawBuckets = top.get("buckets");
            if (rawBuckets != null) {
                map(rawBuckets, "buckets").forEach((id, raw) -> {
                    Bucket bucket = bucket(id, map(raw, "buckets." + id), providers, disabled);
                    if (!disabled.contains(bucket.provider())) {
                        buckets.put(id, bucket);
                    }
                });
            }
            if (!errors.isEmpty()) {
                throw new CatalogException("invalid provider catalogue " + file + ":\n  - " + String.join("\n  - ", errors));
            }
            return new ProviderCatalog(providers, buckets);
        }

        private Provider provider(String id, Map<String, Object> m) {
            String at = "providers." + id;
            checkId(id, at);
            unknownKeys(m, PROVIDER_KEYS, at);
            Dialect dialect = enumValue(Dialect.class, m.getOrDefault("dialect", "oauth2"), at + ".dialect");
            ClientAuth clientAuth = enumValue(ClientAuth.class, m.getOrDefault("clientAuth", "client_secret_post"), at + ".clientAuth");
            List<Tool> tools = new ArrayList<>();
            Map<String, Object> rawTools = map(m.get("tools"), at + ".tools");
            if (rawTools.isEmpty()) {
                error(at + ".tools", "missing: a provider must serve at least one tool");
            }
            rawTools.forEach((toolId, raw) -> {
                String toolAt = at + ".tools." + toolId;
                checkId(toolId, toolAt);
                Map<String, Object> t = map(raw, toolAt);
                unknownKeys(t, TOOL_KEYS, toolAt);
                String previous = toolOwner.putIfAbsent(toolId, id);
                if (previous != null) {
                    error(toolAt, "tool '" + toolId + "' is already served by provider '" + previous + "'");
                }
                List<String> gives = strings(t.get("gives"), toolAt + ".gives");
                if (t.containsKey("gives") && (gives.isEmpty() || gives.stream().anyMatch(String::isBlank))) {
                    error(toolAt + ".gives", "must list at least one non-empty text (or be left out)");
                }
                tools.add(new Tool(toolId, text(t, "displayName", toolAt, true), id, strings(t.get("scopes"), toolAt + ".scopes"),
                        gives, bool(t.getOrDefault("comingSoon", Boolean.FALSE), toolAt + ".comingSoon")));
            });
            return new Provider(id,
                    text(m, "displayName", at, true),
                    dialect,
                    url(m, "authorizeUrl", at, true),
                    url(m, "tokenUrl", at, true),
                    url(m, "refreshUrl", at, false),
                    url(m, "revocationUrl", at, false),
                    url(m, "userinfoUrl", at, false),
                    text(m, "issuer", at, false),
                    text(m, "clientId", at, true),
                    text(m, "clientSecret", at, true),
                    clientAuth,
                    bool(m.getOrDefault("pkce", Boolean.TRUE), at + ".pkce"),
                    strings(m.get("scopes"), at + ".scopes"),
                    stringMap(m.get("authorizeParams"), at + ".authorizeParams"),
                    bool(m.getOrDefault("refreshTokenRotation", Boolean.FALSE), at + ".refreshTokenRotation"),
                    duration(m.getOrDefault("refreshTokenReuseLeeway", "0s"), at + ".refreshTokenReuseLeeway"),
                    bool(m.getOrDefault("replayAfterTimeout", Boolean.TRUE), at + ".replayAfterTimeout"),
                    m.containsKey("refreshBuffer") ? duration(m.get("refreshBuffer"), at + ".refreshBuffer") : null,
                    positive(m.getOrDefault("refreshConcurrency", DEFAULT_REFRESH_CONCURRENCY), at + ".refreshConcurrency"),
                    List.copyOf(tools),
                    credentialVariables(m));
        }

        private Bucket bucket(String id, Map<String, Object> m, Map<String, Provider> providers, Set<String> disabled) {
            String at = "buckets." + id;
            checkId(id, at);
            unknownKeys(m, BUCKET_KEYS, at);
            String provider = text(m, "provider", at, true);
            if (provider != null && !provider.isEmpty() && !providers.containsKey(provider) && !disabled.contains(provider)) {
                error(at + ".provider", "unknown provider '" + provider + "'");
            }
            List<String> tools = strings(m.get("tools"), at + ".tools");
            if (tools.isEmpty()) {
                error(at + ".tools", "missing: a bucket must grant at least one tool");
            }
            for (String tool : tools) {
                String owner = toolOwner.get(tool);
                if (owner == null) {
                    error(at + ".tools", "unknown tool '" + tool + "' (declare it under a provider's tools)");
                } else if (!owner.equals(provider)) {
                    error(at + ".tools", "tool '" + tool + "' is served by provider '" + owner + "', not '" + provider + "'");
                }
            }
            return new Bucket(id, text(m, "displayName", at, true), provider, tools);
        }

        private void checkId(String id, String at) {
            if (!ID.matcher(id).matches()) {
                error(at, "id '" + id + "' must match " + ID.pattern());
            }
        }

        private void unknownKeys(Map<String, Object> m, Set<String> allowed, String at) {
            m.keySet().stream().filter(k -> !allowed.contains(k)).sorted()
                    .forEach(k -> error(at + "." + k, "unknown field (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")"));
        }

        private String text(Map<String, Object> m, String key, String at, boolean required) {
            Object raw = m.get(key);
            if (raw == null) {
                if (required) {
                    error(at + "." + key, "missing");
                }
                return required ? "" : null;
            }
            if (!(raw instanceof String || raw instanceof Number || raw instanceof Boolean)) {
                error(at + "." + key, "must be a text value");
                return "";
            }
            return resolver.apply(raw.toString()).trim();
        }

        private String url(Map<String, Object> m, String key, String at, boolean required) {
            String value = text(m, key, at, required);
            if (value == null) {
                return null;
            }
            if (value.isEmpty()) {
                if (required && m.get(key) != null) {
                    error(at + "." + key, "resolves to an empty URL");
                }
                return required ? "" : null;
            }
            try {
                URI uri = URI.create(value.replace("{clientId}", "client"));
                boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost());
                if (uri.getHost() == null || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
                    error(at + "." + key, "'" + value + "' must be an https URL (plain http only on loopback)");
                }
            } catch (IllegalArgumentException e) {
                error(at + "." + key, "'" + value + "' is not a URL");
            }
            return value;
        }

        private boolean bool(Object raw, String at) {
            Object v = raw instanceof String s ? resolver.apply(s).trim() : raw;
            if (v instanceof Boolean b) {
                return b;
            }
            if ("true".equals(v) || "false".equals(v)) {
                return Boolean.parseBoolean((String) v);
            }
            error(at, "must be true or false");
            return false;
        }

        private int positive(Object raw, String at) {
            String value = resolver.apply(String.valueOf(raw)).trim();
            if (value.matches("[1-9][0-9]{0,5}")) {
                return Integer.parseInt(value);
            }
            error(at, "'" + raw + "' is not a positive whole number");
            return 1;
        }

        private Duration duration(Object raw, String at) {
            try {
                return DurationStyle.detectAndParse(resolver.apply(String.valueOf(raw)).trim());
            } catch (IllegalArgumentException e) {
                error(at, "'" + raw + "' is not a duration (e.g. 10m, 90s)");
                return Duration.ZERO;
            }
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, Object raw, String at) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(String.valueOf(raw))) {
                    return e;
                }
            }
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
            error(at, "'" + raw + "' is not one of " + allowed);
            return type.getEnumConstants()[0];
        }

        private List<String> strings(Object raw, String at) {
            if (raw == null) {
                return List.of();
            }
            if (!(raw instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
                error(at, "must be a list of text values");
                return List.of();
            }
            return list.stream().map(v -> resolver.apply((String) v)).toList();
        }

        private Map<String, String> stringMap(Object raw, String at) {
            Map<String, String> out = new LinkedHashMap<>();
            map(raw, at).forEach((k, v) -> {
                if (RESERVED_AUTHORIZE_PARAMS.contains(k)) {
                    error(at + "." + k, "is set by the broker itself and cannot be overridden");
                }
                out.put(k, resolver.apply(String.valueOf(v)));
            });
            return out;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> map(Object raw, String at) {
            if (raw == null) {
                return Map.of();
            }
            if (!(raw instanceof Map<?, ?> m)) {
                error(at, "must be a mapping");
                return Map.of();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }

        private void error(String at, String problem) {
            errors.add(at + ": " + problem);
        }
    }
}
