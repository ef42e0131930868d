package dev.oauthbroker.cli;

import dev.oauthbroker.authorization.S256CodeChallenge;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.refresh.JdbcRefreshLeases;
import dev.oauthbroker.refresh.RefreshResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code simulate-failure <tool> --user <id>}: proves the invalid_grant path against the real
 * provider. The production refresh pipeline ({@code direct:refresh-locked}) runs on a copy of the
 * grant whose refresh token is deliberately invalid, inside a transaction that holds the grant's
 * refresh lock and is always rolled back. The stored row is never written with the fake token, so
 * nothing is left to restore — even if this process is killed at any moment — and a concurrent
 * real refresh simply waits for the lock.
 */
@Command(name = "simulate-failure", mixinStandardHelpOptions = true,
        description = "Send a deliberately invalid refresh token to the real provider through the real refresh pipeline; "
                + "shows that no retry happens, the result is 'reauth required', and the stored grant is unchanged.")
class SimulateFailureCommand implements Callable<Integer> {

    private static final String SNAPSHOT = """
            select g::text || '|' || coalesce((select string_agg(t::text, ';' order by t.tool) from grant_tools t where t.grant_id = g.id), '')
                   || '|' || (select count(*) from grant_events e where e.grant_id = g.id)
            from grants g where g.id = ?""";

    @ParentCommand
    OAuthCli root;

    @Mixin
    ToolOfUser target;

    @Mixin
    VerboseOption verbose;

    @Mixin
    JsonOutput output;

    @Override
    public Integer call() throws Exception {
        Console console = root.console;
        Grant grant = target.grant(console);
        if (!grant.hasRefreshToken()) {
            console.err().println(target.tool + " for " + target.user + " has no refresh token: there is no refresh to make fail");
            return 1;
        }
        Provider provider = console.bean(ProviderCatalog.class).provider(grant.provider());
        JdbcTemplate jdbc = console.bean(JdbcTemplate.class);
        String before = jdbc.queryForObject(SNAPSHOT, String.class, grant.id());
        Grant probe = new Grant(grant.id(), grant.userId(), grant.provider(), grant.status(), grant.accessToken(),
                "oauth-broker-simulated-invalid-" + S256CodeChallenge.randomUrlSafe(16), grant.tokenType(), grant.scopes(),
                grant.expiresAt(), grant.tokenVersion(), grant.connectedAt(), grant.lastRefreshedAt(), grant.lastValidatedAt(),
                grant.lastError(), grant.tools(), false);
        if (!output.json) {
            console.out().printf("simulating a dead refresh token for %s of %s (grant %s, %s)%n", target.tool, target.user, grant.id(), provider.id());
            console.out().printf("  sending a deliberately invalid refresh token to %s%n", provider.refreshEndpoint());
            console.out().flush();
        }
        long started = System.nanoTime();
        Exchange done = console.bean(TransactionTemplate.class).execute(tx -> {
            tx.setRollbackOnly();
            // the claim's row lock holds off other refreshes until the rollback undoes everything
            if (!console.bean(JdbcRefreshLeases.class).claim(grant.id(), "simulate-failure")) {
                throw new IllegalStateException("a refresh of this grant is in progress; try again in a moment");
            }
            return console.bean(ProducerTemplate.class).send("direct:refresh-locked", e -> e.setProperty(ExchangeProperties.GRANT, probe));
        });
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        RefreshResult result = done.getMessage().getBody(RefreshResult.class);
        int attempts = 1 + done.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        String after = jdbc.queryForObject(SNAPSHOT, String.class, grant.id());
        boolean unchanged = before.equals(after);
        String outcome = done.getException() != null ? "error" : result == null ? "none" : result.outcome().name().toLowerCase();
        boolean expected = "reauth_required".equals(outcome) && attempts == 1 && unchanged;

        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user", target.user);
        view.put("tool", target.tool);
        view.put("grant", grant.id());
        view.put("provider", provider.id());
        view.put("providerRequests", attempts);
        view.put("retried", attempts > 1);
        view.put("result", outcome);
        view.put("reason", result == null ? null : result.reason());
        view.put("storedGrantUnchanged", unchanged);
        view.put("tookMs", tookMs);
        view.put("asExpected", expected);
        if (output.json) {
            console.json(view);
        } else {
            var out = console.out();
            out.printf("  provider answered: %s after %d request%s (%s)%n", result == null || result.reason() == null ? outcome : result.reason(),
                    attempts, attempts == 1 ? "" : "s", attempts == 1 ? "no retry" : "retried");
            out.printf("  result: %s%n", "reauth_required".equals(outcome)
                    ? console.status("reauth_required") + " — a real refresh failing this way marks the grant and answers 409"
                    : console.status(outcome));
            out.printf("  stored credentials: %s%n", unchanged ? "unchanged (verified)" : console.status("failed") + " — the row differs");
            out.printf("%s (%d ms)%n", expected ? "the invalid_grant path works" : "UNEXPECTED: see above", tookMs);
            out.flush();
        }
        return expected ? 0 : 1;
    }

}
