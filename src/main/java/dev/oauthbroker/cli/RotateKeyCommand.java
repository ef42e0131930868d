package dev.oauthbroker.cli;

import dev.oauthbroker.authorization.JdbcStateStore;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.RotationReport;
import dev.oauthbroker.grant.GrantKeyRotation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rotate-key}: after the operator sets a new {@code ENCRYPTION_KEY} and lists the old one in
 * {@code ENCRYPTION_KEYS_PREVIOUS}, re-encrypts every stored secret under the new key. Each row is
 * its own statement, so an interrupted run is simply run again.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = {"Re-encrypt every stored token and PKCE verifier under the current ENCRYPTION_KEY.",
                "Set the new key as ENCRYPTION_KEY and the old one in ENCRYPTION_KEYS_PREVIOUS first. Resumable."})
class RotateKeyCommand implements Callable<Integer> {

    @ParentCommand
    OAuthCli root;

    @Mixin
    JsonOutput output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        Console console = root.console;
        RotationReport grants = console.bean(GrantKeyRotation.class).reencryptUnderCurrentKey();
        RotationReport states = console.bean(JdbcStateStore.class).reencryptUnderCurrentKey();
        RotationReport total = grants.plus(states);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("currentKeyId", console.bean(AesGcmTokenCipher.class).currentKeyId());
        view.put("grants", grants);
        view.put("pendingAuthorizations", states);
        if (output.json) {
            console.json(view);
        } else {
            console.out().printf("current key %s%n", view.get("currentKeyId"));
            Table table = new Table("WHAT", "ROTATED", "ALREADY CURRENT", "CHANGED MEANWHILE", "UNDECRYPTABLE");
            table.row("grants", grants.rotated(), grants.alreadyCurrent(), grants.changedMeanwhile(), grants.undecryptable().size());
            table.row("pending authorizations", states.rotated(), states.alreadyCurrent(), states.changedMeanwhile(), states.undecryptable().size());
            table.print(console.out());
            if (!total.undecryptable().isEmpty()) {
                console.out().println("not decryptable with any configured key (a key dropped too early, or a damaged value):");
                Table unreadable = new Table("ID", "USER", "PROVIDER");
                total.undecryptable().forEach(row -> unreadable.row(row.id(), row.userId(), row.provider()));
                unreadable.print(console.out());
                console.out().println("add the old key to ENCRYPTION_KEYS_PREVIOUS and run again; without it these users must reconnect");
            }
            console.out().flush();
        }
        return total.undecryptable().isEmpty() ? 0 : 1;
    }
}
