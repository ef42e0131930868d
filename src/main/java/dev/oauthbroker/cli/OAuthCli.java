package dev.oauthbroker.cli;

import dev.oauthbroker.OAuthBrokerApplication;
import dev.oauthbroker.BrokerException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.CamelExecutionException;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./oauth-cli}: the operator's view of the broker. Talks to the same database with the same
 * configuration as the service and runs the same routes in-process, so its refreshes take the
 * same cluster-wide lock. Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "oauth-cli", mixinStandardHelpOptions = true, version = "oauth-broker CLI",
        description = "Inspect, refresh, validate and disconnect users' OAuth grants.",
        subcommands = {StatusCommand.class, InspectCommand.class, RefreshCommand.class, ValidateAllCommand.class,
                DisconnectCommand.class, SimulateFailureCommand.class, RotateKeyCommand.class, ProvidersCommand.class, CheckCommand.class, ClientsCommand.class})
public class OAuthCli {

    Console console;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, System.console() != null, () -> startBroker(err), true);
        System.exit(code);
    }

    /**
     * Runs one command line. The context is obtained only if a command needs it, and closed after
     * when {@code closeContext} (a context of its own, not one it was lent).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, boolean terminal,
                          Supplier<ConfigurableApplicationContext> context, boolean closeContext) {
        OAuthCli root = new OAuthCli();
        root.console = new Console(out, err, terminal, context, closeContext);
        CommandLine line = new CommandLine(root).setOut(out).setErr(err)
                .setExecutionStrategy(parsed -> {
                    if (verboseRequested(parsed)) {
                        root.console.verbose();
                    }
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    boolean configuration = e instanceof DemoFallback.MissingConfiguration;
                    err.println((configuration ? "oauth-cli: " : "error: ") + describe(e));
                    err.flush();
                    return configuration ? 2 : 1;
                });
        try {
            return line.execute(args);
        } finally {
            root.console.close();
        }
    }

    /** Whether the command that runs has its {@link VerboseOption} mixin switched on. */
    private static boolean verboseRequested(CommandLine.ParseResult parsed) {
        List<CommandLine> commands = parsed.asCommandLineList();
        return commands.get(commands.size() - 1).getCommandSpec().mixins().values().stream()
                .anyMatch(mixin -> mixin.userObject() instanceof VerboseOption option && option.verbose);
    }

    /**
     * The service's application, without a web server, in the {@code cli} profile — plus
     * {@code demo} where {@link DemoFallback} lets the CLI use the demo's local secrets.
     */
    static ConfigurableApplicationContext startBroker(PrintWriter err) {
        return startBroker(err, null);
    }

    /**
     * As {@link #startBroker(PrintWriter)}, in {@code environment} instead of the process's own when given (the tests
     * run the CLI in their JVM with the variables an operator's shell would have).
     */
    static ConfigurableApplicationContext startBroker(PrintWriter err, ConfigurableEnvironment given) {
        SpringApplication application = new SpringApplication(OAuthBrokerApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        ConfigurableEnvironment environment = given == null ? new StandardEnvironment() : given;
        if (DemoFallback.needed(environment)) {
            err.println(DemoFallback.notice(environment));
            err.flush();
            application.setAdditionalProfiles("cli", "demo");
        } else {
            application.setAdditionalProfiles("cli");
        }
        if (given != null) {
            application.setEnvironment(given);
        }
        return application.run();
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CamelExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof BrokerException be) {
            return be.getMessage() + " (" + be.error() + ")";
        }
        Throwable root = NestedExceptionUtils.getMostSpecificCause(cause);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
