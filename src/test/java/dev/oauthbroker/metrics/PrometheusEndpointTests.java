package dev.oauthbroker.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.OperatorFlows;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** Drives the OAuth flows over HTTP and reads what they recorded back from {@code /actuator/prometheus}. */
class PrometheusEndpointTests extends OperatorFlows {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");

    @Autowired
    Environment environment;

    @Autowired
    ProducerTemplate routes;

    @Test
    void connectRefreshDeadGrantRevokeValidateAndSweepAreCountedByProviderAndOutcome() {
        Scrape before = scrape();

        connectGithub("metrics-user");
        refreshGoogleAfterTwoFailures("metrics-user");
        refreshDeadAtlassianGrant("metrics-user");
        disconnectGithub("metrics-user");
        validate("metrics-user");
        routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true));

        Scrape after = scrape();
        providers.verify(exactly(3), postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(after.delta(before, "broker_connections_total", "provider", "github")).isEqualTo(1);
        assertThat(after.delta(before, "broker_refresh_attempts_total", "provider", "google")).isEqualTo(3);
        assertThat(after.delta(before, "broker_refresh_outcomes_total", "provider", "google", "outcome", "refreshed", "reason", "none")).isEqualTo(1);
        String deadReason = jdbc.queryForObject("select last_error from grants where provider = 'atlassian'", String.class);
        assertThat(after.delta(before, "broker_refresh_outcomes_total", "provider", "atlassian", "outcome", "reauth_required", "reason", deadReason))
                .isEqualTo(1);
        assertThat(after.delta(before, "broker_provider_token_requests_seconds_count", "provider", "google", "grant_type", "refresh_token", "status", "503"))
                .isEqualTo(1);
        assertThat(after.delta(before, "broker_provider_token_requests_seconds_count", "provider", "google", "grant_type", "refresh_token", "status", "200"))
                .isEqualTo(1);
        assertThat(after.delta(before, "broker_provider_token_requests_seconds_count", "provider", "github", "grant_type", "authorization_code", "status", "200"))
                .isEqualTo(1);
        assertThat(after.value("broker_provider_token_requests_seconds_bucket", "provider", "google", "status", "200", "le", "+Inf"))
                .as("a histogram: buckets up to +Inf").isPositive();
        assertThat(after.delta(before, "broker_revocations_total", "provider", "github", "result", "revoked")).isEqualTo(1);
        assertThat(after.delta(before, "broker_validations_total", "provider", "google", "verdict", "valid")).isEqualTo(2);
        assertThat(after.delta(before, "broker_sweep_duration_seconds_count")).isEqualTo(1);
        assertThat(after.delta(before, "broker_sweep_grants_total", "result", "valid")).isEqualTo(1);
        assertThat(after.value("resilience4j_circuitbreaker_state", "name", "google", "state", "closed")).isEqualTo(1);
        assertThat(after.value("camel_route_policy_seconds_count", "routeId", "refresh-locked")).as("Camel route timings").isPositive();
        assertThat(after.value("http_server_requests_seconds_count", "uri", "/internal/users/{userId}/tokens/{toolType}", "status", "200"))
                .as("the token endpoint, timed by Spring's observation under its pattern").isPositive();
        assertThat(after.text).as("the token endpoint is not timed twice").doesNotContain("routeId=\"token-api\"");
        assertThat(after.text).as("the events outbox gauges").contains("\nbroker_events_pending ", "\nbroker_events_failing ");
        for (String status : List.of("active", "reauth_required", "disconnected")) {
            assertThat(after.value("broker_grants", "status", status)).as(status)
                    .isEqualTo(jdbc.queryForObject("select count(*) from grants where status = ?", Double.class, status));
        }
    }

    @Test
    void callersWaitingOnARefreshInFlightAreCountedAsCoalesced() {
        providers.stubFor(post(urlPathEqualTo("/google/token")).willReturn(canned(200, "google/refresh-ok.json").withFixedDelay(400)));
        connected("coalesced-user", "google", List.of("google_workspace"), "ya29.SECRET-old", "1//SECRET-rt", -10L);
        Scrape before = scrape();

        List<CompletableFuture<HttpResponse<String>>> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(CompletableFuture.supplyAsync(() -> internalToken("coalesced-user", "google_workspace", false)));
        }
        callers.forEach(caller -> assertThat(caller.join().statusCode()).isEqualTo(200));

        Scrape after = scrape();
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/google/token")));
        assertThat(after.delta(before, "broker_refresh_attempts_total", "provider", "google")).isEqualTo(1);
        assertThat(after.delta(before, "broker_refresh_coalesced_total", "provider", "google")).isPositive();
    }

    /** The actuator's port: the management port when one is set, else the application's. */
    private Scrape scrape() {
        int managementPort = environment.getProperty("local.management.port", Integer.class, port);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** One scrape in Prometheus' text format. */
    record Scrape(String text) {

        /** The sample of {@code name} whose labels include the given pairs; 0 when there is none. */
        double value(String name, String... labels) {
            double sum = 0;
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (sample.matches() && sample.group(1).equals(name) && hasLabels(sample.group(3), labels)) {
                    sum += Double.parseDouble(sample.group(4));
                }
            }
            return sum;
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }

        private static boolean hasLabels(String found, String... labels) {
            for (int i = 0; i < labels.length; i += 2) {
                if (found == null || !found.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    return false;
                }
            }
            return true;
        }
    }
}
