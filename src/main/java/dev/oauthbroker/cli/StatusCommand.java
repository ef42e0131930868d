package dev.oauthbroker.cli;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.IntegrationViews;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code status}: every user with grants and counts per status; with {@code --user}, one line per tool. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Without --user: every user with grants, counted per status.",
                "With --user: per tool status, token age, expiry, scopes, missing scopes, refresh token, last refresh/validation/error."})
class StatusCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StatusCommand.class);

    @ParentCommand
    OAuthCli root;

    @Option(names = "--user", paramLabel = "<id>", description = "One user's tools in detail.")
    String user;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        Console console = root.console;
        JdbcGrantStore grants = console.bean(JdbcGrantStore.class);
        IntegrationViews views = console.bean(IntegrationViews.class);
        Instant now = console.bean(Clock.class).instant();
        return user == null ? allUsers(console, grants, views, now) : oneUser(console, grants, views, now);
    }

    private int allUsers(Console console, JdbcGrantStore grants, IntegrationViews views, Instant now) {
        List<Map<String, Object>> users = new ArrayList<>();
        long started = System.nanoTime();
        List<String> ids = grants.usersWithGrants();
        log.info("{} users with active grants read ({} ms)", ids.size(), (System.nanoTime() - started) / 1_000_000);
        for (String id : ids) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("user", id);
            counts.put("connected", 0);
            counts.put("expiring", 0);
            counts.put("reauth_required", 0);
            counts.put("missing_scopes", 0);
            int tools = 0;
            for (Grant grant : listForUser(grants, id)) {
                for (String tool : grant.tools()) {
                    counts.merge(views.statusOf(grant, tool, now), 1, (a, b) -> (Integer) a + (Integer) b);
                    tools++;
                }
            }
            counts.put("tools", tools);
            users.add(counts);
        }
        if (output.json) {
            console.json(Map.of("users", users));
            return 0;
        }
        if (users.isEmpty()) {
            console.out().println("no user has connected a tool yet");
            return 0;
        }
        Table table = new Table("USER", "TOOLS", "CONNECTED", "EXPIRING", "REAUTH_REQUIRED", "MISSING_SCOPES");
        users.forEach(u -> table.row(u.get("user"), u.get("tools"), u.get("connected"), u.get("expiring"),
                (Integer) u.get("reauth_required") > 0 ? console.status("reauth_required") + " " + u.get("reauth_required") : 0,
                (Integer) u.get("missing_scopes") > 0 ? console.status("missing_scopes") + " " + u.get("missing_scopes") : 0));
        table.print(console.out());
        return 0;
    }

    private int oneUser(Console console, JdbcGrantStore grants, IntegrationViews views, Instant now) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Grant grant : listForUser(grants, user)) {
            for (String tool : grant.tools()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tool", tool);
                row.putAll(views.describe(grant, tool, now));
                row.put("grant", grant.id());
                rows.add(row);
            }
        }
        rows.sort((a, b) -> String.valueOf(a.get("tool")).compareTo(String.valueOf(b.get("tool"))));
        if (output.json) {
            console.json(Map.of("user", user, "tools", rows));
            return 0;
        }
        if (rows.isEmpty()) {
            console.out().println("user " + user + " has no connected tools");
            return 0;
        }
        Table table = new Table("TOOL", "STATUS", "TOKEN AGE", "EXPIRES IN", "SCOPES", "MISSING SCOPES", "REFRESH TOKEN", "LAST REFRESHED",
                "LAST VALIDATED", "LAST ERROR");
        for (Map<String, Object> r : rows) {
            Long expiresIn = (Long) r.get("expiresInSeconds");
            table.row(r.get("tool"), console.status((String) r.get("status")),
                    Console.human(Duration.ofSeconds((Long) r.get("tokenAgeSeconds"))),
                    expiresIn == null ? "never" : expiresIn < 0 ? "expired " + Console.human(Duration.ofSeconds(-expiresIn)) + " ago"
                            : Console.human(Duration.ofSeconds(expiresIn)),
                    String.join(" ", (List<String>) r.get("scopes")),
                    ((List<String>) r.get("missingScopes")).isEmpty() ? "-" : String.join(" ", (List<String>) r.get("missingScopes")),
                    (Boolean) r.get("hasRefreshToken") ? "yes" : "no",
                    Console.ago((Instant) r.get("lastRefreshedAt"), now),
                    Console.ago((Instant) r.get("lastValidatedAt"), now),
                    r.get("lastError"));
        }
        table.print(console.out());
        return 0;
    }

    private static List<Grant> listForUser(JdbcGrantStore grants, String user) {
        long started = System.nanoTime();
        List<Grant> found = grants.listForUser(user);
        log.info("grants of {} read: {} ({} ms)", user, found.stream().map(g -> g.provider() + " " + g.status() + " " + g.tools()).toList(),
                (System.nanoTime() - started) / 1_000_000);
        return found;
    }
}
