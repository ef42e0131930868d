package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import dev.oauthbroker.BrokerIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how the token endpoint behaves under load, side by side in one run: a hot token, and
 * many callers racing for expired grants (how many provider calls they cost). Figures only — no
 * timed assertion. Run: {@code ./mvnw test -DexcludedGroups= -Dtest=TokenEndpointBenchmark}.
 */
@Tag("benchmark")
class TokenEndpointBenchmark extends BrokerIntegrationTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void printFigures() throws Exception {
        List<String> rows = new ArrayList<>();
        connected("hot", "google", List.of("google_workspace"), "ya29.SECRET-hot", "1//SECRET-rt", 3600L);
        run(64, 2, i -> "hot");
        rows.add(row("valid token, 32 clients", run(4000, 32, i -> "hot"), 0));

        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(100)));
        for (int g = 0; g < 50; g++) {
            connected("exp-" + g, "atlassian", List.of("jira", "confluence"), "at-SECRET-" + g, "rt-SECRET-" + g, -10L);
        }
        Result expired = run(1000, 32, i -> "exp-" + (i % 50));
        rows.add(row("50 expired grants x 20 callers, provider 100 ms", expired,
                providers.findAll(postRequestedFor(urlPathEqualTo("/atlassian/token"))).size()));

        System.out.println();
        System.out.printf("%-50s %9s %9s %9s %9s %12s %22s%n", "scenario", "requests", "req/s", "p50 ms", "p99 ms", "provider", "requests per provider");
        rows.forEach(System.out::println);
        System.out.println();
    }

    private record Result(int requests, double seconds, List<Long> latenciesMicros, int failures) {}

    private String row(String name, Result r, int providerCalls) {
        List<Long> sorted = new ArrayList<>(r.latenciesMicros());
        Collections.sort(sorted);
        double p50 = sorted.get(sorted.size() / 2) / 1000.0;
        double p99 = sorted.get((int) (sorted.size() * 0.99)) / 1000.0;
        return String.format("%-50s %9d %9.0f %9.1f %9.1f %12d %22s%s", name, r.requests(), r.requests() / r.seconds(), p50, p99,
                providerCalls, providerCalls == 0 ? "-" : String.format("%.1f", (double) r.requests() / providerCalls),
                r.failures() == 0 ? "" : "  (" + r.failures() + " failed)");
    }

    private Result run(int requests, int clients, java.util.function.IntFunction<String> user) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/users/" + user.apply(n)
                        + "/tokens/" + (user.apply(n).startsWith("exp") ? (n % 2 == 0 ? "jira" : "confluence") : "google_workspace")))
                        .header("X-Broker-Key", SERVICE_KEY).GET().build(), HttpResponse.BodyHandlers.discarding());
                return new long[] {(System.nanoTime() - t0) / 1000, response.statusCode()};
            }));
        }
        List<Long> latencies = new ArrayList<>();
        int failures = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get();
            latencies.add(r[0]);
            if (r[1] != 200) {
                failures++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(requests, seconds, latencies, failures);
    }
}
