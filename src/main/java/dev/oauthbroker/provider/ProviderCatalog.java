package dev.oauthbroker.provider;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The loaded catalogue: providers, every tool they serve, and the onboarding buckets. */
public class ProviderCatalog {

    private final Map<String, Provider> providers;
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets;

    public ProviderCatalog(Map<String, Provider> providers, Map<String, Bucket> buckets) {
        this.providers = Map.copyOf(providers);
        this.buckets = new LinkedHashMap<>(buckets);
        providers.values().forEach(p -> p.tools().forEach(t -> tools.put(t.id(), t)));
    }

    public Collection<Provider> providers() {
        return providers.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    public Collection<Tool> tools() {
        return tools.values();
    }

    public Collection<Bucket> buckets() {
        return buckets.values();
    }

    public Optional<Tool> tool(String id) {
        return Optional.ofNullable(id).map(tools::get);
    }

    public Optional<Bucket> bucket(String id) {
        return Optional.ofNullable(id).map(buckets::get);
    }

    public Provider provider(String id) {
        Provider provider = providers.get(id);
        if (provider == null) {
            throw new IllegalArgumentException("unknown provider " + id);
        }
        return provider;
    }

    public Provider providerOf(Tool tool) {
        return provider(tool.provider());
    }

    /** The public view served at {@code GET /api/tools} (DESIGN.md): never a credential. */
    public Map<String, Object> publicView() {
        return Map.of(
                "tools", tools.values().stream().map(this::toolView).toList(),
                "buckets", buckets.values().stream().map(b -> Map.of(
                        "id", b.id(),
                        "displayName", b.displayName(),
                        "provider", b.provider(),
                        "tools", b.tools(),
                        "available", provider(b.provider()).available())).toList());
    }

    private Map<String, Object> toolView(Tool t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("toolType", t.id());
        view.put("displayName", t.displayName());
        view.put("provider", t.provider());
        view.put("bucket", bucketOf(t.id()).map(Bucket::id).orElse(null));
        view.put("available", providerOf(t).available());
        return view;
    }

    private Optional<Bucket> bucketOf(String toolId) {
        return buckets.values().stream().filter(b -> b.tools().contains(toolId)).findFirst();
    }
}
