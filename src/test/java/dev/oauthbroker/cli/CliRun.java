package dev.oauthbroker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.springframework.context.ConfigurableApplicationContext;

/** One CLI invocation in-process, on a lent application context; the output never holds a token. */
record CliRun(int exit, String out, String err) {

    static CliRun of(ConfigurableApplicationContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = OAuthCli.run(args, new PrintWriter(out), new PrintWriter(err), false, () -> context, false);
        CliRun run = new CliRun(exit, out.toString(), err.toString());
        assertThat(run.out() + run.err()).as("CLI output holding a token").doesNotContainPattern("(?<![A-Z]_)SECRET");
        return run;
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + out, e);
        }
    }
}
