package dev.oauthbroker.cli;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Mixin: the grant a command acts on, {@code <tool> --user <id>}. */
final class ToolOfUser {

    @Parameters(index = "0", paramLabel = "<tool>", description = "Tool id, e.g. jira.")
    String tool;

    @Option(names = "--user", required = true, paramLabel = "<id>", description = "The user.")
    String user;

    /** The user's grant for the tool; a missing one fails the command (exit 1). */
    Grant grant(Console console) {
        return console.bean(JdbcGrantStore.class).findByUserTool(user, tool)
                .orElseThrow(() -> new IllegalStateException("user " + user + " has not connected " + tool));
    }
}
