package dev.oauthbroker.grant;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/integrations}: one entry per catalogue tool with its computed status —
 * {@code connected}, {@code expiring} (due for a refresh: inside the buffer, or past half of a short lifetime), {@code reauth_required},
 * {@code missing_scopes} (the grant lacks some of the tool's catalogue scopes, listed in {@code missingScopes}; computed at read
 * time, so a scope added to the catalogue later shows here) or {@code disconnected}. Never a token.
 */
@Component("integrationViews")
public class IntegrationViews {

    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;
    private final RefreshTiming timing;
    private final Clock clock;

    public IntegrationViews(JdbcGrantStore grants, ProviderCatalog catalog, RefreshTiming timing, Clock clock) {
        this.grants = grants;
        this.catalog = catalog;
        this.timing = timing;
        this.clock = clock;
    }

    /** {@code GET /api/integrations}: the user's status for every tool of the catalogue. */
    public Map<String, Object> forUser(@ExchangeProperty(ExchangeProperties.USER_ID) String userId) {
        Map<String, Grant> byTool = new HashMap<>();
        grants.listForUser(userId).forEach(g -> g.tools().forEach(t -> byTool.put(t, g)));
        Instant now = clock.instant();
        List<Map<String, Object>> integrations = new ArrayList<>();
        for (Tool tool : catalog.tools()) {
            Grant grant = byTool.get(tool.id());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("toolType", tool.id());
            view.putAll(describe(grant, tool.id(), now));
            String status = (String) view.get("status");
            view.put("isConnected", "connected".equals(status) || "expiring".equals(status));
            integrations.add(view);
        }
        return Map.of("integrations", integrations);
    }

    /**
     * A tool's grant metadata as every view shows it (API, CLI): status, times, granted scopes, the
     * tool's scopes the grant lacks, refresh-token presence, last error, and the {@code reason} a
     * {@code reauth_required} grant needs the user (e.g. {@code invalid_grant}, {@code undecryptable})
     * — never a token. A null grant describes a tool not connected.
     */
    public Map<String, Object> describe(Grant grant, String tool, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", statusOf(grant, tool, now));
        view.put("connectedAt", grant == null ? null : grant.connectedAt());
        view.put("expiresAt", grant == null ? null : grant.expiresAt());
        view.put("expiresInSeconds", grant == null || grant.expiresAt() == null ? null : Duration.between(now, grant.expiresAt()).toSeconds());
        view.put("tokenAgeSeconds", grant == null ? null
                : Duration.between(grant.lastRefreshedAt() != null ? grant.lastRefreshedAt() : grant.connectedAt(), now).toSeconds());
        view.put("lastRefreshedAt", grant == null ? null : grant.lastRefreshedAt());
        view.put("lastValidatedAt", grant == null ? null : grant.lastValidatedAt());
        view.put("scopes", grant == null ? List.of() : grant.scopes());
        view.put("missingScopes", missingScopes(grant, tool));
        view.put("hasRefreshToken", grant != null && grant.hasRefreshToken());
        view.put("lastError", grant == null ? null : grant.lastError());
        view.put("reason", "reauth_required".equals(view.get("status")) ? grant.lastError() : null);
        return view;
    }

    /**
     * A tool's status: {@code disconnected}, {@code reauth_required} (the grant is dead),
     * {@code missing_scopes} (the grant is live but lacks some of this tool's scopes; its sibling
     * tools may be connected), {@code expiring} (due for a refresh: inside the buffer, or past half
     * of a short lifetime) or {@code connected}.
     */
    public String statusOf(Grant grant, String tool, Instant now) {
        if (grant == null || grant.status() == GrantStatus.disconnected) {
            return "disconnected";
        }
        if (grant.status() == GrantStatus.reauth_required) {
            return "reauth_required";
        }
        if (!missingScopes(grant, tool).isEmpty()) {
            return "missing_scopes";
        }
        return timing.due(grant, now) ? "expiring" : "connected";
    }

    /** The tool's catalogue scopes the grant lacks; none for no grant or a tool no longer in the catalogue. */
    public List<String> missingScopes(Grant grant, String tool) {
        if (grant == null) {
            return List.of();
        }
        return catalog.tool(tool).map(t -> GrantedScopes.missing(t.scopes(), grant.scopes())).orElse(List.of());
    }
}
