package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A valid token served by the internal endpoint next to {@code GET /api/tools}, a route of the
 * same service through the same REST DSL: closed loops at each concurrency, the two routes
 * alternating within each repetition so both see the same machine.
 */
final class HotPath {

    private record Run(Latencies token, Latencies tools) {}

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
        LoadGenerator.Call token = new LoadGenerator.Call(port, Bench.tokenPath("hot"), "X-Broker-Key: " + Bench.SERVICE_KEY);
        LoadGenerator.Call tools = new LoadGenerator.Call(port, "/api/tools");
        Duration point = Duration.ofSeconds(options.hotSeconds());
        int warmUp = options.hotConcurrency().get(options.hotConcurrency().size() - 1);
        LoadGenerator.closedLoop(warmUp, point, token);
        LoadGenerator.closedLoop(warmUp, point, tools);
        MarkdownTable table = new MarkdownTable(String.format("Hot path: valid token vs GET /api/tools, one instance, %d s per point", options.hotSeconds()),
                "concurrency", "token req/s", "/api/tools req/s", "ratio", "token p50 ms", "token p99 ms", "p99/p50",
                "/api/tools p50 ms", "/api/tools p99 ms", "errors");
        for (int concurrency : options.hotConcurrency()) {
            List<Run> runs = new ArrayList<>();
            for (int rep = 0; rep < options.reps(); rep++) {
                runs.add(new Run(LoadGenerator.closedLoop(concurrency, point, token), LoadGenerator.closedLoop(concurrency, point, tools)));
            }
            table.row(Integer.toString(concurrency), column(runs, r -> r.token().perSecond(), "%.0f"),
                    column(runs, r -> r.tools().perSecond(), "%.0f"),
                    column(runs, r -> r.token().perSecond() / r.tools().perSecond(), "%.2f×"),
                    column(runs, r -> r.token().percentileMillis(50), "%.1f"), column(runs, r -> r.token().percentileMillis(99), "%.1f"),
                    column(runs, r -> r.token().percentileMillis(99) / r.token().percentileMillis(50), "%.1f×"),
                    column(runs, r -> r.tools().percentileMillis(50), "%.1f"), column(runs, r -> r.tools().percentileMillis(99), "%.1f"),
                    column(runs, r -> r.token().errors() + r.tools().errors(), "%.0f"));
        }
        return table;
    }

    private static String column(List<Run> runs, ToDoubleFunction<Run> field, String format) {
        return MarkdownTable.figure(runs.stream().map(field::applyAsDouble).toList(), format);
    }
}
