package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.RouteFolder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The edit an integrator makes to the refresh retries: in a copy of {@code routes/} only, the
 * refresh's {@code maximumRedeliveries} changed, the service started on the copy
 * ({@code BROKER_ROUTES}) — the provider sees as many refresh requests as the YAML says.
 */
@Tag("extra-contexts")
class RetryEditTests extends BrokerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @TempDir
    Path routes;

    @Test
    void refreshAttemptsSetToFiveInTheYamlMakeFiveProviderRequests() throws IOException {
        copyRoutes();
        Path errorHandling = routes.resolve("error-handling.camel.yaml");
        String yaml = Files.readString(errorHandling);
        String edited = yaml.replaceFirst("(?s)(id: refresh-transient.*?maximumRedeliveries: )2", "$14");
        assertThat(edited).as("the refresh's retry count in the YAML").isNotEqualTo(yaml);
        Files.writeString(errorHandling, edited);

        assertThat(refreshRequestsOfAProviderAnswering503()).isEqualTo(5);
    }

    @Test
    void theShippedRoutesMakeThreeProviderRequests() throws IOException {
        copyRoutes();

        assertThat(refreshRequestsOfAProviderAnswering503()).isEqualTo(3);
    }

    /** Starts an instance on the copied routes, asks it for an expired token whose provider answers 503. */
    private int refreshRequestsOfAProviderAnswering503() {
        providers.stubFor(post(urlPathEqualTo("/acme/token")).willReturn(aResponse().withStatus(503)));
        connected("u1", "acme", List.of("acme_wiki"), "acme-SECRET-old", "acme-SECRET-rt", -10L);
        try (BrokerInstance instance = BrokerInstances.onSharedDatabase(dataSource).routes(routes)
                // counts only: neither the breaker nor a cold start's slow first answer cuts the attempts short
                .with("broker.breaker.failure-threshold", "20").with("broker.http.read-timeout", "10000")
                .with("broker.request-deadline", "30s").start()) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/internal/users/u1/tokens/acme_wiki"))
                    .header("X-Broker-Key", SERVICE_KEY).GET().build());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        }
        return providers.findAll(postRequestedFor(urlPathEqualTo("/acme/token"))).size();
    }

    private void copyRoutes() throws IOException {
        RouteFolder.copyTo(routes);
    }
}
