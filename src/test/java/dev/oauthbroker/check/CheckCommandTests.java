package dev.oauthbroker.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.cli.OAuthCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oauth-cli check}, in-process: no Spring context, no database, every problem with file, line and key. */
class CheckCommandTests {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @Test
    void theShippedCatalogueAndRoutesAreValidWithNotesForTheVariablesTheyWillNeed() {
        assertThat(check()).isZero();

        assertThat(out.toString()).contains("check: config/providers.yaml and routes are valid")
                .contains("config/providers.yaml:", "note: providers.github: needs GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aCatalogueProblemIsPrintedWithItsLineAndTheCheckFails() throws IOException {
        Path catalogue = dir.resolve("providers.yaml");
        Files.writeString(catalogue, """
                providers:
                  acme:
                    displayName: Acme
                    authorizeUrl: http://127.0.0.1:9000/auth
                    tokenUrl: http://example.com/token
                    clientId: a
                    clientSecret: b
                    scope: [read]
                    tools: {acme_tool: {displayName: Acme}}
                buckets:
                  acme: {displayName: Acme, provider: acme, tools: [acme_tool, nope]}
                """);

        assertThat(check("--catalogue", catalogue.toString())).isEqualTo(1);

        assertThat(err.toString()).contains(catalogue + ":8: providers.acme.scope: unknown field")
                .contains(catalogue + ":5: providers.acme.tokenUrl: ")
                .contains(catalogue + ":11: buckets.acme.tools: unknown tool 'nope'");
        assertThat(out.toString()).contains("check: 3 problems");
    }

    @Test
    void aBeanMethodTypoADirectTypoAndAnUnknownStepAreFoundWithTheirLines() throws IOException {
        Path routes = copyOfRoutes();
        edit(routes.resolve("token.camel.yaml"), "method: refreshFirst", "method: refreshFrist");
        edit(routes.resolve("token.camel.yaml"), "uri: direct:refresh", "uri: direct:refesh");
        edit(routes.resolve("revoke.camel.yaml"), "ref: disconnects", "ref: disconects");

        assertThat(check("--routes", routes.toString())).isEqualTo(1);

        String token = routes.resolve("token.camel.yaml").toString();
        assertThat(err.toString())
                .contains(token + ":" + lineOf(routes.resolve("token.camel.yaml"), "refreshFrist") + ": ref tokenAccess: TokenAccess has no public method 'refreshFrist'")
                .contains(token + ":" + lineOf(routes.resolve("token.camel.yaml"), "direct:refesh") + ": direct:refesh: no route starts from direct:refesh")
                .contains("revoke.camel.yaml:" + lineOf(routes.resolve("revoke.camel.yaml"), "disconects") + ": ref disconects: the service has no bean named 'disconects'");
    }

    @Test
    void aStepCamelDoesNotKnowIsRefusedByItsSchemaWithTheLine() throws IOException {
        Path routes = copyOfRoutes();
        edit(routes.resolve("token.camel.yaml"), "- setHeader:", "- setHeaderz:");

        assertThat(check("--routes", routes.toString())).isEqualTo(1);

        assertThat(err.toString()).contains(routes.resolve("token.camel.yaml") + ":" + lineOf(routes.resolve("token.camel.yaml"), "setHeaderz"));
    }

    @Test
    void aRouteIdWrittenTwiceAndAMissingRouteConfigurationAreProblems() throws IOException {
        Path routes = copyOfRoutes();
        edit(routes.resolve("token.camel.yaml"), "id: token-api", "id: token");
        edit(routes.resolve("token.camel.yaml"), "routeConfigurationId: api-errors", "routeConfigurationId: api-errorz");

        assertThat(check("--routes", routes.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("route token: route id written twice")
                .contains("routeConfigurationId: no routeConfiguration has id 'api-errorz'");
    }

    private int check(String... options) {
        String[] args = Stream.concat(Stream.of("check"), Stream.of(options)).toArray(String[]::new);
        return OAuthCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), false,
                () -> {
                    throw new AssertionError("check must not start the service");
                }, true);
    }

    private Path copyOfRoutes() throws IOException {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
    }

    private static int lineOf(Path file, String text) throws IOException {
        String[] lines = Files.readString(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
