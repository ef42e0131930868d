package dev.oauthbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.oauthbroker.check.RouteFolderStartup;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an integrator sees when editing {@code routes/}: a wrong edit stops the service from starting, and says
 * where (the folder loaded as the startup loads it, {@link RouteFolderStartup}); in the demo, an edit is live
 * without a restart.
 */
@Tag("extra-contexts")
@ResourceLock(TestJvm.LOCK)
class RouteEditsTests {

    @TempDir
    Path routes;

    @Test
    void anUneditedCopyStarts() throws Exception {
        copyRoutes();

        assertThat(RouteFolderStartup.failureOf(routes)).as("the shipped flows load and every route is created").isNull();
    }

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

    @Test
    void inTheDemoAnEditedRouteFileIsLiveWithoutARestart(@TempDir Path data) throws Exception {
        copyRoutes();
        try (BrokerInstance demo = demoOnTheCopy(data)) {
            String tools = demo.baseUrl() + "/api/tools";
            assertThat(get(tools).headers().firstValue("Cache-Control")).isEmpty();

            Path integrations = routes.resolve("integrations.camel.yaml");
            String edited = Files.readString(integrations).replace("        - bean:\n            ref: providerCatalog\n",
                    "        - setHeader:\n            name: Cache-Control\n            constant: max-age=60\n"
                            + "        - bean:\n            ref: providerCatalog\n");
            assertThat(edited).contains("max-age=60");
            replace(integrations, edited);

            HttpResponse<String> answer = await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(tools), r -> r.headers().firstValue("Cache-Control").equals(Optional.of("max-age=60")));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"toolType\":\"github\"");
        }
    }

    @Test
    void inTheDemoAnEditedRefreshFlowIsLiveAndTokenRequestsStillAnswer(@TempDir Path data) throws Exception {
        copyRoutes();
        WireMockServer providers = TestProviders.server();
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBodyFile("atlassian/token-ok.json")));
        try (BrokerInstance demo = demoOnTheCopy(data)) {
            demo.bean(JdbcGrantStore.class).connect("route-editor", "atlassian", List.of("jira"),
                    new TokenSet("at-SECRET-old", "rt-SECRET-old", "Bearer", 3600L, List.of()));
            HttpRequest forcedRefresh = HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/internal/users/route-editor/tokens/jira?forceRefresh=true"))
                    .header("X-Broker-Key", demo.property("BROKER_SERVICE_KEY")).build();

            Path refresh = routes.resolve("refresh.camel.yaml");
            String edited = Files.readString(refresh).replace("              method: refresh\n",
                    "              method: refresh\n"
                            + "        - log:\n            message: edited refresh flow is live\n            logName: dev.oauthbroker.edit\n");
            assertThat(edited).contains("edited refresh flow is live");
            replace(refresh, edited);

            HttpResponse<String> answer = await().atMost(Duration.ofSeconds(30)).until(() -> send(forcedRefresh),
                    r -> LogCapture.serviceLines().contains("dev.oauthbroker.edit edited refresh flow is live"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"accessToken\":\"eyJ-SECRET-atlassian-access\"");
        }
    }

    /** The demo profile, loading and watching the copy of {@code routes/}. */
    private BrokerInstance demoOnTheCopy(Path data) {
        return BrokerInstances.onOwnDatabase().demo().watchingRoutes(routes).with("broker.data-dir", data.toString()).start();
    }

    /** Writes the whole new text at once, so the watcher never reads a half-written file. */
    private static void replace(Path file, String text) throws Exception {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), text);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Why the service would not start on the edited copy: its routes loaded and created as its startup does, no service booted. */
    private Throwable startupFailure() {
        Throwable failure = RouteFolderStartup.failureOf(routes);
        assertThat(failure).as("the edit stops the startup").isNotNull();
        return failure;
    }

    private void copyRoutes() throws IOException {
        RouteFolder.copyTo(routes);
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
