package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** What an integrator sees when an edit of {@code routes/} is wrong: the service does not start, and says where. */
class RouteEditsTests {

    @TempDir
    Path routes;

    @Test
    void aTypoInARouteFileFailsStartupNamingTheFileTheLineAndTheKey() throws Exception {
        copyRoutes();
        Path integrations = routes.resolve("integrations.camel.yaml");
        String text = Files.readString(integrations);
        int line = lineOf(text, "ref: providerCatalog");
        Files.writeString(integrations, text.replace("ref: providerCatalog", "reff: providerCatalog"));

        String messages = messagesOf(startupFailure());
        assertThat(messages).contains("integrations.camel.yaml").contains("reff").containsPattern(":" + line + "\\b|line " + line);
    }

    @Test
    void aBeanNameThatDoesNotExistFailsStartupNamingTheRouteAndTheBean() throws Exception {
        copyRoutes();
        Path integrations = routes.resolve("integrations.camel.yaml");
        Files.writeString(integrations, Files.readString(integrations).replace("ref: providerCatalog", "ref: providerCatalogue"));

        String messages = messagesOf(startupFailure());

        assertThat(messages).contains("providerCatalogue").contains("integrations-tools");
    }

    private Throwable startupFailure() {
        return catchThrowable(() -> new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles("test")
                .run("--server.port=0", "--wiremock.base=http://localhost:9",
                        "--camel.main.routes-include-pattern=file:" + routes + "/*.camel.yaml").close());
    }

    private void copyRoutes() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }

    private static int lineOf(String text, String needle) {
        return text.substring(0, text.indexOf(needle)).split("\n", -1).length;
    }

    private static String messagesOf(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
