package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code config/providers.yaml}: validates it against {@code providers.schema.json}, binds it
 * to {@link Provider}, {@link Tool} and {@link Bucket} records, and checks what a schema cannot
 * (resolved URLs are https, tools served once, buckets name known providers and tools). Every
 * problem is collected before failing, each naming the file, the entry and the field, so an
 * integrator fixes them all in one go. Placeholders ({@code ${GITHUB_CLIENT_ID:}}) are resolved by
 * the given resolver. A provider with {@code enabled: false} is validated but left out, with its
 * tools and buckets.
 */
public class CatalogLoader {

    /** Parameters the broker sets itself; an entry's authorizeParams may not override them. */
    static final Set<String> RESERVED_AUTHORIZE_PARAMS = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "user_scope", "state", "code_challenge", "code_challenge_method");
    /** Refresh calls in flight to one provider when its entry does not say ({@code refreshConcurrency}). */
    static final int DEFAULT_REFRESH_CONCURRENCY = 8;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)");

    private final UnaryOperator<String> resolver;
    private final CatalogSchema schema;

    public CatalogLoader(UnaryOperator<String> resolver) {
        this.resolver = resolver;
        this.schema = new CatalogSchema(CatalogSchema.FILE);
    }

    public ProviderCatalog load(Path file) {
        JsonNode root;
        try {
            root = YamlDocuments.read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new CatalogException(file + ": cannot read the provider catalogue (no such file)");
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read the provider catalogue (" + e.getMessage() + ")");
        } catch (YAMLException e) {
            throw new CatalogException(file + ": not valid YAML (" + oneLine(e) + ")");
        }
        CatalogValues values = new CatalogValues(resolver);
        boolean empty = root == null || root.isMissingNode();
        values.errors().addAll(schema.problems(empty ? NullNode.getInstance() : root));
        ProviderCatalog catalog = new Binding(values).catalog(empty ? MissingNode.getInstance() : root);
        if (!values.errors().isEmpty()) {
            List<String> problems = values.errors().stream().sorted().toList();
            throw new CatalogException("invalid provider catalogue " + file + ":\n  - "
                    + String.join("\n  - ", problems.stream().map(e -> file + ": " + e).toList()), problems);
        }
        return catalog;
    }

    /** SnakeYAML's message (problem, then where) on one line: "found duplicate key a in 'reader', line 3, column 3". */
    private static String oneLine(YAMLException e) {
        if (e instanceof MarkedYAMLException marked) {
            String where = marked.getProblemMark() == null ? "" : ", line " + (marked.getProblemMark().getLine() + 1)
                    + ", column " + (marked.getProblemMark().getColumn() + 1);
            return marked.getProblem() + where;
        }
        return e.getMessage().lines().findFirst().orElse("");
    }

    /** The variables named by placeholders in an entry's raw {@code clientId} and {@code clientSecret}. */
    private static List<String> credentialVariables(JsonNode entry) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("clientId", "clientSecret")) {
            Matcher m = PLACEHOLDER.matcher(entry.path(field).asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return List.copyOf(names);
    }

    private static final class Binding {
        private final CatalogValues v;
        private final Map<String, String> toolOwner = new LinkedHashMap<>();

        Binding(CatalogValues values) {
            this.v = values;
        }

        ProviderCatalog catalog(JsonNode top) {
            Map<String, Provider> providers = new LinkedHashMap<>();
            Set<String> disabled = new HashSet<>();
            top.path("providers").fields().forEachRemaining(e -> {
                String at = "providers." + e.getKey();
                Provider p = provider(e.getKey(), e.getValue(), at);
                if (!v.bool(e.getValue(), "enabled", true, at)) {
                    disabled.add(e.getKey());
                } else {
                    providers.put(e.getKey(), p);
                }
            });
            Map<String, Bucket> buckets = new LinkedHashMap<>();
            top.path("buckets").fields().forEachRemaining(e -> {
                Bucket bucket = bucket(e.getKey(), e.getValue(), providers.keySet(), disabled);
                if (!disabled.contains(bucket.provider())) {
                    buckets.put(e.getKey(), bucket);
                }
            });
            return new ProviderCatalog(providers, buckets);
        }

        private Provider provider(String id, JsonNode m, String at) {
            List<Tool> tools = new ArrayList<>();
            m.path("tools").fields().forEachRemaining(e -> {
                String toolAt = at + ".tools." + e.getKey();
                String previous = toolOwner.putIfAbsent(e.getKey(), id);
                if (previous != null) {
                    v.error(toolAt, "tool '" + e.getKey() + "' is already served by provider '" + previous + "'");
                }
                JsonNode t = e.getValue();
                tools.add(new Tool(e.getKey(), v.text(t, "displayName", ""), id, v.strings(t, "scopes"), v.strings(t, "gives"),
                        v.bool(t, "comingSoon", false, toolAt)));
            });
            Map<String, String> authorizeParams = v.stringMap(m, "authorizeParams");
            authorizeParams.keySet().stream().filter(RESERVED_AUTHORIZE_PARAMS::contains)
                    .forEach(k -> v.error(at + ".authorizeParams." + k, "is set by the broker itself and cannot be overridden"));
            return new Provider(id,
                    v.text(m, "displayName", ""),
                    v.url(m, "authorizeUrl", at),
                    v.url(m, "tokenUrl", at),
                    v.url(m, "refreshUrl", at),
                    m.has("revocation") ? v.revocation(m.path("revocation"), at + ".revocation") : null,
                    m.has("identity") ? v.identity(m.path("identity"), at + ".identity") : null,
                    v.answerRules(m.path("errors")),
                    v.tokenFields(m.path("tokenFields")),
                    v.text(m, "issuer", null),
                    v.text(m, "clientId", ""),
                    v.text(m, "clientSecret", ""),
                    v.enumValue(ClientAuth.class, m.path("clientAuth"), ClientAuth.client_secret_post),
                    v.bool(m, "pkce", true, at),
                    v.strings(m, "scopes"),
                    m.path("scopeParameter").asText("scope"),
                    m.path("scopeDelimiter").asText(" "),
                    authorizeParams,
                    v.bool(m, "refreshTokenRotation", false, at),
                    v.duration(m, "refreshTokenReuseLeeway", "0s", at),
                    v.bool(m, "replayAfterTimeout", true, at),
                    m.has("refreshBuffer") ? v.duration(m, "refreshBuffer", null, at) : null,
                    m.path("refreshConcurrency").asInt(DEFAULT_REFRESH_CONCURRENCY),
                    List.copyOf(tools),
                    credentialVariables(m),
                    m.has("adminConsent") ? adminConsent(m.path("adminConsent"), tools, at + ".adminConsent") : null);
        }

        /** Block {@code adminConsent}: each of its scopes must be one a tool of the provider asks. */
        private AdminConsent adminConsent(JsonNode m, List<Tool> tools, String at) {
            List<String> scopes = v.strings(m, "scopes");
            for (String scope : new LinkedHashSet<>(scopes)) {
                if (tools.stream().noneMatch(t -> t.scopes().contains(scope))) {
                    v.error(at + ".scopes", "scope '" + scope + "' is asked by no tool of this provider");
                }
            }
            return new AdminConsent(v.url(m, "url", at), v.text(m, "scopeResource", ""), scopes);
        }

        private Bucket bucket(String id, JsonNode m, Set<String> providers, Set<String> disabled) {
            String at = "buckets." + id;
            String provider = v.text(m, "provider", "");
            if (!provider.isEmpty() && !providers.contains(provider) && !disabled.contains(provider)) {
                v.error(at + ".provider", "unknown provider '" + provider + "'");
            }
            List<String> tools = v.strings(m, "tools");
            for (String tool : new LinkedHashSet<>(tools)) {
                String owner = toolOwner.get(tool);
                if (owner == null) {
                    v.error(at + ".tools", "unknown tool '" + tool + "' (declare it under a provider's tools)");
                } else if (!owner.equals(provider)) {
                    v.error(at + ".tools", "tool '" + tool + "' is served by provider '" + owner + "', not '" + provider + "'");
                }
            }
            return new Bucket(id, v.text(m, "displayName", ""), provider, tools);
        }
    }
}
