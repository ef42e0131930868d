package dev.oauthbroker.provider;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded catalogue: providers, every tool they serve, and the onboarding buckets. One object
 * for the service's life: a reload ({@link CatalogReloader}) swaps its contents whole, so every
 * reader sees either the old catalogue or the new one, never a mix within one call.
 */
public class ProviderCatalog {

    private volatile Contents contents;
    /** The last public view and what it was made of: {@code GET /api/tools} asks on every request. */
    private volatile PublicView lastView;

    public ProviderCatalog(Map<String, Provider> providers, Map<String, Bucket> buckets) {
        Map<String, Tool> tools = new LinkedHashMap<>();
        providers.values().forEach(p -> p.tools().forEach(t -> tools.put(t.id(), t)));
        this.contents = new Contents(Map.copyOf(providers), tools, new LinkedHashMap<>(buckets));
    }

    /** From now on, the other catalogue's providers, tools and buckets. */
    public void replaceWith(ProviderCatalog other) {
        this.contents = other.contents;
    }

    /** Whether the catalogue has this provider (a grant's provider may have left it: its grants stay untouched). */
    public boolean has(String providerId) {
        return contents.providers().containsKey(providerId);
    }

    private record Contents(Map<String, Provider> providers, Map<String, Tool> tools, Map<String, Bucket> buckets) {
    }

    private record PublicView(Contents contents, Set<String> degraded, Map<String, Object> view) {
    }

    public Collection<Provider> providers() {
        return contents.providers().values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    public Collection<Tool> tools() {
        return contents.tools().values();
    }

    public Collection<Bucket> buckets() {
        return contents.buckets().values();
    }

    public Optional<Tool> tool(String id) {
        return Optional.ofNullable(id).map(contents.tools()::get);
    }

    public Optional<Bucket> bucket(String id) {
        return Optional.ofNullable(id).map(contents.buckets()::get);
    }

    public Provider provider(String id) {
        Provider provider = contents.providers().get(id);
        if (provider == null) {
            throw new IllegalArgumentException("unknown provider " + id);
        }
        return provider;
    }

    public Provider providerOf(Tool tool) {
        return provider(tool.provider());
    }

    /**
     * The public view served at {@code GET /api/tools} (docs/design.md): never a credential. A tool or
     * bucket of a provider in {@code degraded} (its circuit breaker not closed) says so; it stays
     * {@code available}, since connecting may still work and its tokens come back by themselves.
     */
    public Map<String, Object> publicView(Set<String> degraded) {
        // the view changes only with the catalogue (a reload) or the set of degraded providers: the same
        // (unmodifiable) object until then
        Contents now = contents;
        PublicView last = lastView;
        if (last != null && last.contents() == now && last.degraded().equals(degraded)) {
            return last.view();
        }
        Map<String, Object> view = Map.of(
                "tools", now.tools().values().stream().map(t -> toolView(t, degraded.contains(t.provider()))).toList(),
                "buckets", now.buckets().values().stream().map(b -> bucketView(b, degraded.contains(b.provider()))).toList());
        lastView = new PublicView(now, Set.copyOf(degraded), view);
        return view;
    }

    /** Every tool of the bucket is coming soon: the host application can use none of them yet. */
    public boolean comingSoon(Bucket bucket) {
        return bucket.tools().stream().allMatch(id -> contents.tools().get(id).comingSoon());
    }

    /**
     * What connecting the bucket gives: the union, in order, of what its tools give — of those
     * the host can use already, unless it can use none.
     */
    public List<String> gives(Bucket bucket) {
        boolean comingSoon = comingSoon(bucket);
        return bucket.tools().stream().map(contents.tools()::get).filter(t -> comingSoon || !t.comingSoon())
                .flatMap(t -> t.givesOrName().stream()).distinct().toList();
    }

    /**
     * The bucket whose admin-consent link covers the provider's tools: the first bucket it serves,
     * when the provider has an {@code adminConsent} block; empty otherwise.
     */
    public Optional<Bucket> adminConsentBucket(String providerId) {
        Provider provider = contents.providers().get(providerId);
        if (provider == null || provider.adminConsent() == null) {
            return Optional.empty();
        }
        return contents.buckets().values().stream().filter(b -> b.provider().equals(providerId)).findFirst();
    }

    /** The tools of the provider that need an administrator's consent, in catalogue order. */
    public List<Tool> adminConsentTools(Provider provider) {
        return provider.tools().stream().filter(provider::needsAdminConsent).toList();
    }

    private Map<String, Object> bucketView(Bucket b, boolean degraded) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", b.id());
        view.put("displayName", b.displayName());
        view.put("provider", b.provider());
        view.put("tools", b.tools());
        view.put("available", provider(b.provider()).available());
        view.put("degraded", degraded);
        view.put("gives", gives(b));
        view.put("comingSoon", comingSoon(b));
        return Collections.unmodifiableMap(view);
    }

    private Map<String, Object> toolView(Tool t, boolean degraded) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("toolType", t.id());
        view.put("displayName", t.displayName());
        view.put("provider", t.provider());
        view.put("bucket", bucketOf(t.id()).map(Bucket::id).orElse(null));
        view.put("available", providerOf(t).available());
        view.put("degraded", degraded);
        view.put("gives", t.givesOrName());
        view.put("comingSoon", t.comingSoon());
        view.put("adminConsent", providerOf(t).needsAdminConsent(t));
        return Collections.unmodifiableMap(view);
    }

    private Optional<Bucket> bucketOf(String toolId) {
        return contents.buckets().values().stream().filter(b -> b.tools().contains(toolId)).findFirst();
    }
}
