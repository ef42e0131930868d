package dev.oauthbroker.cli;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.validation.JdbcSweepRuns;
import dev.oauthbroker.validation.Validations;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code validate-all [--user <id>]}: one user's grants in parallel, or without {@code --user} one
 * run of the scheduled sweep: it opens a run, or joins the one in progress, and works it with every
 * instance on it until it is over.
 */
@Command(name = "validate-all", mixinStandardHelpOptions = true,
        description = {"Validate in parallel against the providers (refreshing what is due).",
                "Without --user: run the validation sweep once over every active grant, with a progress bar on a terminal.",
                "Exit 1 when a grant was found invalid; grants that cannot be decrypted are reported (skipped), not failures."})
class ValidateAllCommand implements Callable<Integer> {

    @ParentCommand
    OAuthCli root;

    @Option(names = "--user", paramLabel = "<id>", description = "Only this user's grants.")
    String user;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        Console console = root.console;
        if (user != null) {
            Map<String, Object> body = console.route("direct:validate-grants",
                    e -> e.setProperty(ExchangeProperties.USER_ID, user)).getMessage().getBody(Map.class);
            List<Map<String, Object>> results = (List<Map<String, Object>>) body.get("results");
            if (output.json) {
                console.json(Map.of("user", user, "results", results));
            } else if (results.isEmpty()) {
                console.out().println("user " + user + " has no connected tools");
            } else {
                Table table = new Table("TOOL", "RESULT", "STATUS", "REFRESHED", "REASON");
                results.forEach(r -> table.row(r.get("toolType"),
                        console.status(Boolean.TRUE.equals(r.get("valid")) ? "valid" : undecryptable(r) ? "skipped" : "failed"),
                        console.status((String) r.get("status")), Boolean.TRUE.equals(r.get("refreshed")) ? "yes" : "no", r.get("reason")));
                table.print(console.out());
            }
            return results.stream().allMatch(r -> Boolean.TRUE.equals(r.get("valid")) || undecryptable(r)) ? 0 : 1;
        }
        Thread progress = console.terminal() && !output.json ? progressBar(console) : null;
        Map<String, Object> summary;
        try {
            summary = console.route("direct:validate-sweep-run", e -> e.setProperty(ExchangeProperties.MANUAL_SWEEP, true)).getMessage().getBody(Map.class);
        } finally {
            if (progress != null) {
                progress.interrupt();
                progress.join();
            }
        }
        if (Boolean.FALSE.equals(summary.get("started"))) {
            console.err().println("sweep not started: " + summary.get("reason"));
            console.err().flush();
            return 1;
        }
        if (output.json) {
            console.json(summary);
        } else {
            console.out().printf("sweep: checked %s, valid %s, refreshed %s, reauth required %s, errors %s, skipped (undecryptable) %s, %s ms%n",
                    summary.get("checked"), summary.get("valid"), summary.get("refreshed"), summary.get("reauthRequired"),
                    summary.get("errors"), summary.get("skippedUndecryptable"), summary.get("durationMs"));
            console.out().flush();
        }
        return ((Integer) summary.get("reauthRequired")) + ((Integer) summary.get("errors")) == 0 ? 0 : 1;
    }

    /**
     * A grant whose tokens cannot be decrypted is reported, not a validation failure: there was
     * nothing to validate, and the grant is already marked for reconnection.
     */
    private static boolean undecryptable(Map<String, Object> result) {
        return Grant.UNDECRYPTABLE.equals(result.get("reason"));
    }

    private static Thread progressBar(Console console) {
        Validations validations = console.bean(Validations.class);
        int total = Math.max(1, console.bean(JdbcSweepRuns.class).activeGrantCount());
        long base = validations.concluded();
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    draw(console, (int) Math.min(total, validations.concluded() - base), total);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            draw(console, total, total);
            console.err().println();
        }, "cli-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void draw(Console console, int done, int total) {
        int width = 30;
        int filled = done * width / total;
        console.err().printf("\r  [%s%s] %d/%d", "#".repeat(filled), ".".repeat(width - filled), done, total);
        console.err().flush();
    }
}
