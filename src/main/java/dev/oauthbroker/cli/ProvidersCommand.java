package dev.oauthbroker.cli;

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
 * {@code providers}: the catalogue, configured or not and why — never a secret — and each
 * provider's circuit breaker as last changed by any instance ({@code provider_health}).
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "The provider catalogue: configured or unavailable and which variables are missing; "
                + "each provider's circuit breaker as last changed by any instance.")
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
        return 0;
    }

    /** "closed", or "open 12s ago" — the state and when an instance last changed it. */
    private static String breakerCell(Console console, Map<String, Object> row, Instant now) {
        String state = console.status((String) row.get("breaker"));
        Instant changed = (Instant) row.get("breakerChangedAt");
        return changed == null ? state : state + " " + Console.ago(changed, now);
    }
}
