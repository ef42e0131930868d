package dev.oauthbroker.cli;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code refresh <tool> --user <id>}: a forced refresh through the token flow, coalesced like any other. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = "Force a refresh even if the token is not due. --verbose shows each attempt, backoff delay, "
                + "coalescing wait and timing live.")
class RefreshCommand implements Callable<Integer> {

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
        JdbcGrantStore grants = console.bean(JdbcGrantStore.class);
        Grant before = target.grant(console);
        long started = System.nanoTime();
        Exchange done = console.bean(ProducerTemplate.class).send("direct:token", e -> {
            e.setProperty(ExchangeProperties.USER_ID, target.user);
            e.setProperty(ExchangeProperties.TOOL_TYPE, target.tool);
            e.setProperty(ExchangeProperties.FORCE_REFRESH, "true");
        });
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        Grant after = grants.find(before.id()).orElse(before);
        String result = done.getException() != null ? "failed"
                : after.tokenVersion() > before.tokenVersion() ? "refreshed"
                : before.hasRefreshToken() ? "refreshed" : "not_refreshable";
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user", target.user);
        view.put("tool", target.tool);
        view.put("result", result);
        view.put("error", done.getException() == null ? null : done.getException().getMessage());
        view.put("expiresAt", after.expiresAt());
        view.put("refreshTokenRotated", done.getException() == null && after.hasRefreshToken()
                && !after.refreshToken().equals(before.refreshToken()));
        view.put("tookMs", tookMs);
        if (output.json) {
            console.json(view);
        } else if ("failed".equals(result)) {
            console.out().printf("%s for %s: %s — %s (%d ms)%n", target.tool, target.user, console.status("failed"), view.get("error"), tookMs);
        } else if ("not_refreshable".equals(result)) {
            console.out().printf("%s for %s: not refreshed — the grant has no refresh token (its token %s)%n", target.tool, target.user,
                    after.expiresAt() == null ? "does not expire" : "expires at " + after.expiresAt());
        } else {
            Duration left = after.expiresAt() == null ? null : Duration.between(console.bean(Clock.class).instant(), after.expiresAt());
            console.out().printf("%s for %s: %s in %d ms; expires %s%s%n", target.tool, target.user, console.status("refreshed"), tookMs,
                    left == null ? "never" : "in " + Console.human(left),
                    Boolean.TRUE.equals(view.get("refreshTokenRotated")) ? "; refresh token rotated" : "");
        }
        console.out().flush();
        return "refreshed".equals(result) ? 0 : 1;
    }
}
