package dev.oauthbroker.cli;

import dev.oauthbroker.authorization.AdminConsentRecord;
import dev.oauthbroker.authorization.JdbcAdminConsents;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderDiagnostics;
import dev.oauthbroker.provider.Tool;
import dev.oauthbroker.resilience.JdbcProviderHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code providers}: the catalogue, configured or not and why — never a secret — each provider's
 * circuit breaker as last changed by any instance ({@code provider_health}), and for a provider
 * with tools that need an administrator's consent, those tools and the organisations (tenants)
 * whose administrator consented ({@code admin_consents}).
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "The provider catalogue: configured or unavailable and which variables are missing; "
                + "each provider's circuit breaker as last changed by any instance; "
                + "tools that need an administrator's consent and the tenants that gave it.")
class ProvidersCommand implements Callable<Integer> {

    @ParentCommand
    OAuthCli root;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        Console console = root.console;
        ProviderDiagnostics diagnostics = console.bean(ProviderDiagnostics.class);
        Map<String, JdbcProviderHealth.Change> breakers = console.bean(JdbcProviderHealth.class).all();
        Instant now = console.bean(Clock.class).instant();
        JdbcAdminConsents adminConsents = console.bean(JdbcAdminConsents.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Provider provider : diagnostics.catalog().providers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("provider", provider.id());
            row.put("displayName", provider.displayName());
            row.put("status", provider.available() ? "configured" : "unavailable");
            row.put("missing", provider.available() ? List.of() : diagnostics.missingVariables(provider));
            row.put("tools", provider.tools().stream().map(Tool::id).toList());
            row.put("pkce", provider.pkce());
            row.put("revocation", provider.revocation() == null ? "none" : provider.revocation().style());
            row.put("refreshTokenRotation", provider.refreshTokenRotation());
            row.put("refreshConcurrency", provider.refreshConcurrency());
            JdbcProviderHealth.Change breaker = breakers.get(provider.id());
            row.put("breaker", breaker == null ? "closed" : breaker.state().toLowerCase());
            row.put("breakerChangedAt", breaker == null ? null : breaker.changedAt());
            row.put("breakerReason", breaker == null ? null : breaker.reason());
            List<String> adminTools = diagnostics.catalog().adminConsentTools(provider).stream().map(Tool::id).toList();
            row.put("adminConsentTools", adminTools);
            row.put("adminConsents", adminTools.isEmpty() ? List.of() : adminConsents.of(provider.id()));
            rows.add(row);
        }
        if (output.json) {
            console.json(Map.of("providers", rows));
            return 0;
        }
        Table table = new Table("PROVIDER", "STATUS", "TOOLS", "PKCE", "REVOCATION", "ROTATION", "BREAKER", "WHY");
        for (Map<String, Object> r : rows) {
            @SuppressWarnings("unchecked")
            List<String> missing = (List<String>) r.get("missing");
            table.row(r.get("provider"), console.status((String) r.get("status")), String.join(",", (List<String>) r.get("tools")),
                    (Boolean) r.get("pkce") ? "S256" : "no", r.get("revocation"), (Boolean) r.get("refreshTokenRotation") ? "yes" : "no",
                    breakerCell(console, r, now), missing.isEmpty() ? "" : "set " + String.join(", ", missing));
        }
        table.print(console.out());
        for (Map<String, Object> r : rows) {
            adminConsentLine(console, r, now);
        }
        return 0;
    }

    /** "microsoft: teams_channels need an administrator's consent; consented: <tenant> (3d ago, link of alice)". */
    @SuppressWarnings("unchecked")
    private static void adminConsentLine(Console console, Map<String, Object> row, Instant now) {
        List<String> tools = (List<String>) row.get("adminConsentTools");
        if (tools.isEmpty()) {
            return;
        }
        List<AdminConsentRecord> consents = (List<AdminConsentRecord>) row.get("adminConsents");
        String given = consents.isEmpty() ? "no tenant has consented yet (POST /api/buckets/{bucket}/admin-consent gives a link)"
                : "consented: " + String.join(", ", consents.stream()
                        .map(c -> c.tenant() + " (" + Console.ago(c.consentedAt(), now) + ", link of " + c.requestedBy() + ")").toList());
        console.out().println(row.get("provider") + ": " + String.join(",", tools) + " need an administrator's consent; " + given);
    }

    /** "closed", or "open 12s ago" — the state and when an instance last changed it. */
    private static String breakerCell(Console console, Map<String, Object> row, Instant now) {
        String state = console.status((String) row.get("breaker"));
        Instant changed = (Instant) row.get("breakerChangedAt");
        return changed == null ? state : state + " " + Console.ago(changed, now);
    }
}
