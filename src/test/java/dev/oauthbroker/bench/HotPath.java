package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.bench.floor.FloorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A valid token served by the internal endpoint next to {@code GET /api/tools}, a route of the
 * same service through the same REST DSL, and next to the floor: a bare Spring Boot MVC
 * application ({@link FloorApplication}, its own JVM like the broker) answering the same bytes as
 * {@code /api/tools} from memory. Closed loops at each concurrency, the three alternating within
 * each repetition so all see the same machine; besides rates and latencies, the serving process's
 * own CPU time per request (from {@code /proc}), which other load on the machine disturbs far less.
 */
final class HotPath {

    private record Run(Measured floor, Measured tools, Measured token) {}

    /** One closed loop against one process, and the CPU time that process spent on it. */
    private record Measured(Latencies.Summary load, double cpuMillis) {

        double perSecond() {
            return load.perSecond();
        }

        double p50() {
            return load.p50Millis();
        }

        double p99() {
            return load.p99Millis();
        }

        long errors() {
            return load.errors();
        }

        /** The serving process's CPU time (user + system) per answered request, in microseconds. */
        double cpuMicrosPerRequest() {
            return cpuMillis * 1000 / Math.max(1, load.requests());
        }
    }

    private final Bench bench;
    private final String databaseName;

    HotPath(Bench bench, String databaseName) {
        this.bench = bench;
        this.databaseName = databaseName;
    }

    MarkdownTable run(BrokerInstances brokers) throws Exception {
        BenchOptions options = bench.options();
        try (HikariDataSource data = bench.database().dataSource(databaseName)) {
            BenchDatabase.seed(BenchDatabase.grantStore(data), 1, i -> "hot", 24 * 3600);
        }
        int port = brokers.port(0);
        try (BrokerInstances floor = startFloor(port)) {
            LoadGenerator.Call floorTools = new LoadGenerator.Call(floor.port(0), "/api/tools");
            LoadGenerator.Call tools = new LoadGenerator.Call(port, "/api/tools");
            LoadGenerator.Call token = new LoadGenerator.Call(port, Bench.tokenPath("hot"), "X-Broker-Key: " + Bench.SERVICE_KEY);
            Duration point = Duration.ofSeconds(options.hotSeconds());
            int warmUp = options.hotConcurrency().get(options.hotConcurrency().size() - 1);
            // until the JIT has compiled the paths: its compiler threads' CPU would count in the first points' figures
            for (LoadGenerator.Call call : List.of(floorTools, tools, token)) {
                load(warmUp, Duration.ofSeconds(options.hotWarmUpSeconds()), call);
            }
            MarkdownTable table = new MarkdownTable(String.format(
                    "Hot path: floor (bare Spring Boot MVC) vs GET /api/tools vs a valid token, one instance, %d s per point, load from %s",
                    options.hotSeconds(), options.load().equals("wrk") ? "wrk (2 threads)" : "the harness (a thread per connection)"),
                    "concurrency", "floor req/s", "/api/tools req/s", "token req/s", "tools / floor", "token / tools",
                    "floor p50 ms", "floor p99 ms", "/api/tools p50 ms", "/api/tools p99 ms", "token p50 ms", "token p99 ms",
                    "token p99/p50", "floor p99/p50", "floor CPU µs/req", "/api/tools CPU µs/req", "token CPU µs/req", "errors");
            for (int concurrency : options.hotConcurrency()) {
                List<Run> runs = new ArrayList<>();
                for (int rep = 0; rep < options.reps(); rep++) {
                    runs.add(new Run(measure(floor, concurrency, point, floorTools), measure(brokers, concurrency, point, tools),
                            measure(brokers, concurrency, point, token)));
                }
                table.row(Integer.toString(concurrency), column(runs, r -> r.floor().perSecond(), "%.0f"),
                        column(runs, r -> r.tools().perSecond(), "%.0f"), column(runs, r -> r.token().perSecond(), "%.0f"),
                        column(runs, r -> r.tools().perSecond() / r.floor().perSecond(), "%.2f×"),
                        column(runs, r -> r.token().perSecond() / r.tools().perSecond(), "%.2f×"),
                        column(runs, r -> r.floor().p50(), "%.2f"), column(runs, r -> r.floor().p99(), "%.2f"),
                        column(runs, r -> r.tools().p50(), "%.2f"), column(runs, r -> r.tools().p99(), "%.2f"),
                        column(runs, r -> r.token().p50(), "%.2f"), column(runs, r -> r.token().p99(), "%.2f"),
                        column(runs, r -> r.token().p99() / r.token().p50(), "%.1f×"),
                        column(runs, r -> r.floor().p99() / r.floor().p50(), "%.1f×"),
                        column(runs, r -> r.floor().cpuMicrosPerRequest(), "%.0f"), column(runs, r -> r.tools().cpuMicrosPerRequest(), "%.0f"),
                        column(runs, r -> r.token().cpuMicrosPerRequest(), "%.0f"),
                        column(runs, r -> r.floor().errors() + r.tools().errors() + r.token().errors(), "%.0f"));
            }
            return table;
        }
    }

    private Measured measure(BrokerInstances server, int concurrency, Duration point, LoadGenerator.Call call) throws Exception {
        double before = server.cpuMillis();
        Latencies.Summary load = load(concurrency, point, call);
        return new Measured(load, server.cpuMillis() - before);
    }

    private Latencies.Summary load(int concurrency, Duration point, LoadGenerator.Call call) throws Exception {
        return bench.options().load().equals("wrk") ? Wrk.closedLoop(concurrency, point, call)
                : LoadGenerator.closedLoop(concurrency, point, call).summary();
    }

    /** The floor as its own process, answering what the broker on {@code brokerPort} answers to {@code GET /api/tools}. */
    private BrokerInstances startFloor(int brokerPort) throws Exception {
        HttpResponse<byte[]> tools = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + brokerPort + "/api/tools")).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (tools.statusCode() != 200) {
            throw new IllegalStateException("GET /api/tools answered " + tools.statusCode());
        }
        Path body = bench.logs().resolve("floor-tools.json");
        Files.createDirectories(bench.logs());
        Files.write(body, tools.body());
        return BrokerInstances.start(bench.options().floorCommand(), bench.options().project(), bench.logs(), "floor", 1,
                Map.of(FloorApplication.BODY_FILE, body.toString()));
    }

    private static String column(List<Run> runs, ToDoubleFunction<Run> field, String format) {
        return MarkdownTable.figure(runs.stream().map(field::applyAsDouble).toList(), format);
    }
}
