package dev.oauthbroker.cli;

import dev.oauthbroker.flow.ExchangeProperties;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code disconnect <tool> --user <id>}: the same flow as the API's DELETE — detach, revoke, soft-delete. */
@Command(name = "disconnect", mixinStandardHelpOptions = true,
        description = "Revoke at the provider (best-effort) and soft-delete; shows the revocation result.")
class DisconnectCommand implements Callable<Integer> {

    @ParentCommand
    OAuthCli root;

    @Mixin
    ToolOfUser target;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        Console console = root.console;
        Map<String, Object> result = console.route("direct:revoke", e -> {
            e.setProperty(ExchangeProperties.USER_ID, target.user);
            e.getMessage().setHeader("toolType", target.tool);
        }).getMessage().getBody(Map.class);
        if (output.json) {
            console.json(result);
        } else {
            String revocation = (String) result.get("revocation");
            console.out().printf("disconnected %s for %s; revocation at the provider: %s%s%n", String.join(", ", (java.util.List<String>) result.get("tools")),
                    target.user, console.status(revocation), switch (revocation) {
                        case "skipped" -> result.containsKey("reason")
                                ? " (its tokens cannot be decrypted: disconnected locally, nothing sent to the provider)"
                                : " (the grant still serves other tools)";
                        case "unsupported" -> " (the provider has no revocation endpoint; the user can remove the app there)";
                        case "failed" -> " (disconnected locally anyway; see the log)";
                        default -> "";
                    });
            console.out().flush();
        }
        return 0;
    }
}
