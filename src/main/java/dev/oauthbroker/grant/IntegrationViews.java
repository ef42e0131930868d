package dev.oauthbroker.grant;

import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import dev.oauthbroker.web.UserAuthentication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/integrations}: one entry per catalogue tool with its computed status —
 * {@code connected}, {@code expiring} (due for a refresh: inside the buffer, or past half of a short lifetime), {@code reauth_required} or
 * {@code disconnected}. Never a token.
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

    public Map<String, Object> forUser(Exchange exchange) {
        String userId = exchange.getProperty(UserAuthentication.USER_ID, String.class);
        Map<String, Grant> byTool = new HashMap<>();
        grants.listForUser(userId).forEach(g -> g.tools().forEach(t -> byTool.put(t, g)));
        Instant now = clock.instant();
        List<Map<String, Object>> integrations = new ArrayList<>();
        for (Tool tool : catalog.tools()) {
            Grant grant = byTool.get(tool.id());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("toolType", tool.id());
            view.putAll(describe(grant, now));
            String status = (String) view.get("status");
            view.put("isConnected", "connected".equals(status) || "expiring".equals(status));
            integrations.add(view);
        }
        return Map.of("integrations", integrations);
    }

    /**
     * A grant's metadata as every view shows it (API, CLI): status, times, scopes, refresh-token
     * presence, last error, and the {@code reason} a {@code reauth_required} grant needs the user
     * (e.g. {@code invalid_grant}, {@code undecryptable}) — never a token. A null grant describes
     * a tool not connected.
     */
    public Map<String, Object> describe(Grant grant, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", statusOf(grant, now));
        view.put("connectedAt", grant == null ? null : grant.connectedAt());
        view.put("expiresAt", grant == null ? null : grant.expiresAt());
        view.put("expiresInSeconds", grant == null || grant.expiresAt() == null ? null : Duration.between(now, grant.expiresAt()).toSeconds());
        view.put("tokenAgeSeconds", grant == null ? null
                : Duration.between(grant.lastRefreshedAt() != null ? grant.lastRefreshedAt() : grant.connectedAt(), now).toSeconds());
        view.put("lastRefreshedAt", grant == null ? null : grant.lastRefreshedAt());
        view.put("lastValidatedAt", grant == null ? null : grant.lastValidatedAt());
        view.put("scopes", grant == null ? List.of() : grant.scopes());
        view.put("hasRefreshToken", grant != null && grant.hasRefreshToken());
        view.put("lastError", grant == null ? null : grant.lastError());
        view.put("reason", "reauth_required".equals(view.get("status")) ? grant.lastError() : null);
        return view;
    }

    /** {@code connected}, {@code expiring} (due for a refresh: inside the buffer, or past half of a short lifetime), {@code reauth_required} or {@code disconnected}. */
    public String statusOf(Grant grant, Instant now) {
        if (grant == null || grant.status() == GrantStatus.disconnected) {
            return "disconnected";
        }
        if (grant.status() == GrantStatus.reauth_required) {
            return "reauth_required";
        }
        return timing.due(grant, now) ? "expiring" : "connected";
    }
}
