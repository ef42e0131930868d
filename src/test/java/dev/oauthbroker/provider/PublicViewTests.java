package dev.oauthbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /api/tools}'s view is made once per catalogue and set of degraded providers, and shared read-only. */
class PublicViewTests {

    @Test
    void theViewIsMadeAgainOnlyWhenTheDegradedProvidersOrTheCatalogueChange() {
        ProviderCatalog catalog = ShippedProviders.fresh();
        Map<String, Object> healthy = catalog.publicView(Set.of());
        assertThat(catalog.publicView(new HashSet<>())).as("an equal set: the same view").isSameAs(healthy);
        assertThat(tool(healthy, "google_workspace").get("degraded")).isEqualTo(false);

        Map<String, Object> googleDown = catalog.publicView(Set.of("google"));
        assertThat(tool(googleDown, "google_workspace").get("degraded")).isEqualTo(true);
        assertThat(tool(googleDown, "jira").get("degraded")).isEqualTo(false);
        assertThat(catalog.publicView(Set.of("google"))).isSameAs(googleDown);

        Map<String, Object> recovered = catalog.publicView(Set.of());
        assertThat(recovered).isEqualTo(healthy);
        assertThat(tool(recovered, "google_workspace").get("degraded")).isEqualTo(false);

        catalog.replaceWith(ShippedProviders.fresh());
        assertThat(catalog.publicView(Set.of())).as("a reload makes it again").isNotSameAs(recovered).isEqualTo(healthy);
    }

    @Test
    void theSharedViewCannotBeChangedByAStep() {
        Map<String, Object> view = ShippedProviders.fresh().publicView(Set.of());
        assertThatThrownBy(() -> tool(view, "jira").put("degraded", true)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.put("tools", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tool(Map<String, Object> view, String id) {
        return ((List<Map<String, Object>>) view.get("tools")).stream().filter(t -> id.equals(t.get("toolType"))).findFirst().orElseThrow();
    }
}
