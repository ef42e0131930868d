package dev.oauthbroker.cli;

import dev.oauthbroker.check.CatalogueCheck;
import dev.oauthbroker.check.Problem;
import dev.oauthbroker.check.RouteFilesCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code check}: an integrator's edited catalogue and route files, validated as the service would
 * load them — without starting it, without a database, without any variable set. Exit 0 when
 * nothing is wrong (notes allowed), 1 when something is.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the provider catalogue and the route files without starting the service; "
                + "prints every problem as file:line: key: message. Exit 0 valid, 1 invalid.")
class CheckCommand implements Callable<Integer> {

    @ParentCommand
    OAuthCli root;

    @Option(names = "--catalogue", paramLabel = "<file>", description = "The catalogue (default: config/providers.yaml).")
    Path catalogue = Path.of("config/providers.yaml");

    @Option(names = "--routes", paramLabel = "<dir>", description = "The folder of *.camel.yaml flows (default: routes).")
    Path routes = Path.of("routes");

    @Override
    public Integer call() {
        // only the findings on the terminal: Camel's context life cycle and the schema library's notices are not
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        logging.setLogLevel("org.apache.camel", LogLevel.WARN);
        logging.setLogLevel("com.networknt", LogLevel.ERROR);
        List<Problem> problems = new ArrayList<>(new CatalogueCheck(new StandardEnvironment()::getProperty).check(catalogue));
        problems.addAll(new RouteFilesCheck().check(routes));
        problems.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingInt(Problem::line));
        problems.forEach(p -> (p.error() ? root.console.err() : root.console.out()).println(p));
        long errors = problems.stream().filter(Problem::error).count();
        root.console.out().println(errors == 0 ? "check: " + catalogue + " and " + routes + " are valid"
                : "check: " + errors + " problem" + (errors == 1 ? "" : "s"));
        return errors == 0 ? 0 : 1;
    }
}
