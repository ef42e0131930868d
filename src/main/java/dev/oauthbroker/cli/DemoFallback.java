package dev.oauthbroker.cli;

import dev.oauthbroker.DemoSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.core.env.Environment;

/**
 * Where the CLI gets its keys when the environment has none. The README's demo keeps generated
 * secrets in {@code <data dir>/demo-secrets.properties}; the CLI uses them only where that file
 * exists and no external database ({@code SPRING_DATASOURCE_URL}) is configured — and says so.
 * Anywhere else a missing key is an operator's mistake: on a production host the CLI must not
 * quietly run on a generated key, so it stops and names the variables to set.
 */
final class DemoFallback {

    private DemoFallback() {}

    /** A configuration the CLI refuses to start with (exit code 2). */
    static final class MissingConfiguration extends RuntimeException {
        MissingConfiguration(String message) {
            super(message);
        }
    }

    /**
     * Whether the {@code demo} profile must be added: true when the demo's local secrets are used,
     * false when the environment needs no fallback (a key is set, or the demo profile is active).
     *
     * @throws MissingConfiguration when there is no key and the demo's secrets may not be used
     */
    static boolean needed(Environment environment) {
        if (set(environment, "ENCRYPTION_KEY") || set(environment, "MCP_ENCRYPTION_KEY")
                || Arrays.asList(environment.getActiveProfiles()).contains("demo")) {
            return false;
        }
        Path secrets = Path.of(environment.getProperty("broker.data-dir", ".data"), DemoSecrets.FILE_NAME);
        String why;
        if (set(environment, "spring.datasource.url")) {
            why = "SPRING_DATASOURCE_URL points at an external database, so the demo's local secrets are not used";
        } else if (!Files.isRegularFile(secrets)) {
            why = "there are no demo secrets here (" + secrets + ")";
        } else {
            return true;
        }
        throw new MissingConfiguration("no ENCRYPTION_KEY set and " + why + ". Set ENCRYPTION_KEY or MCP_ENCRYPTION_KEY "
                + "(and APP_JWT_SECRET, BROKER_SERVICE_KEY, SPRING_DATASOURCE_URL ...: the service's environment), "
                + "or run the demo first (./mvnw spring-boot:run -Dspring-boot.run.profiles=demo) to use its local secrets.");
    }

    /** The line on stderr when the demo's secrets are used. */
    static String notice(Environment environment) {
        return "oauth-cli: no ENCRYPTION_KEY set; using the demo's local secrets in " + environment.getProperty("broker.data-dir", ".data") + "/";
    }

    private static boolean set(Environment environment, String name) {
        String value = environment.getProperty(name);
        return value != null && !value.isBlank();
    }
}
