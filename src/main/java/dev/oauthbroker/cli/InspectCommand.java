package dev.oauthbroker.cli;

import dev.oauthbroker.client.JdbcClientFetches;
import dev.oauthbroker.events.GrantEvent;
import dev.oauthbroker.events.JdbcEventOutbox;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.IntegrationViews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code inspect <tool> --user <id>}: one grant's metadata and recent history — never the token itself. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "A grant's metadata: expiry countdown, scopes (and the tool's missing ones), connected at, last refresh, refresh-token presence, "
                + "the tools sharing it, the last token a backend reported rejected, its last events. Never the token itself.")
class InspectCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(InspectCommand.class);

    @ParentCommand
    OAuthCli root;

    @Mixin
    ToolOfUser target;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        Console console = root.console;
        JdbcEventOutbox outbox = console.bean(JdbcEventOutbox.class);
        Instant now = console.bean(Clock.class).instant();
        long started = System.nanoTime();
        Grant grant = target.grant(console);
        List<GrantEvent> events = outbox.recent(grant.id(), 10);
        GrantEvent rejection = outbox.last(grant.id(), "token_rejected").orElse(null);
        log.info("grant {} ({}, version {}) and its last {} events read ({} ms)", grant.id(), grant.provider(), grant.tokenVersion(),
                events.size(), (System.nanoTime() - started) / 1_000_000);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user", target.user);
        view.put("tool", target.tool);
        view.put("grant", grant.id());
        view.put("provider", grant.provider());
        view.putAll(console.bean(IntegrationViews.class).describe(grant, target.tool, now));
        view.put("tokenType", grant.tokenType());
        view.put("sharedWith", grant.tools());
        view.put("lastRejection", rejection);
        view.put("events", events);
        List<JdbcClientFetches.LastFetch> fetches = console.bean(JdbcClientFetches.class).ofTool(target.user, target.tool);
        view.put("lastFetches", fetches);
        if (output.json) {
            console.json(view);
            return 0;
        }
        var out = console.out();
        out.printf("%s for %s%n", target.tool, target.user);
        out.printf("  grant           %s (%s)%n", grant.id(), grant.provider());
        out.printf("  status          %s%n", console.status((String) view.get("status")));
        out.printf("  expires         %s%n", grant.expiresAt() == null ? "never"
                : grant.expiresAt() + " (" + (now.isAfter(grant.expiresAt()) ? "expired " + Console.ago(grant.expiresAt(), now)
                : "in " + Console.human(Duration.between(now, grant.expiresAt()))) + ")");
        out.printf("  scopes          %s%n", String.join(" ", grant.scopes()));
        List<?> missing = (List<?>) view.get("missingScopes");
        if (!missing.isEmpty()) {
            out.printf("  missing scopes  %s (the user can grant them with Grant access)%n", String.join(" ", missing.stream().map(String::valueOf).toList()));
        }
        out.printf("  connected       %s (%s)%n", grant.connectedAt(), Console.ago(grant.connectedAt(), now));
        out.printf("  last refreshed  %s%n", Console.ago(grant.lastRefreshedAt(), now));
        out.printf("  last validated  %s%n", Console.ago(grant.lastValidatedAt(), now));
        out.printf("  refresh token   %s%n", grant.hasRefreshToken() ? "present" : "none");
        out.printf("  shared with     %s%n", String.join(", ", grant.tools()));
        out.printf("  last error      %s%n", grant.lastError() == null ? "-" : grant.lastError());
        out.printf("  last rejected   %s%n", rejection == null ? "never"
                : rejection.at() + " (" + Console.ago(rejection.at(), now) + "): " + rejection.detail());
        out.println("  last fetch by client");
        for (JdbcClientFetches.LastFetch fetch : fetches) {
            out.printf("    %-24s %-16s %s%n", fetch.at(), fetch.client(), fetch.outcome());
        }
        if (fetches.isEmpty()) {
            out.println("    none");
        }
        out.println("  last events");
        for (GrantEvent event : events) {
            out.printf("    %-24s %-16s %s%n", event.at(), event.event(), event.detail() == null ? "" : event.detail());
        }
        out.flush();
        return 0;
    }
}
