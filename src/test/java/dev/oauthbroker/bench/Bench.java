package dev.oauthbroker.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness (bench/README.md): brings up PostgreSQL, the provider stub and broker
 * processes, drives them from this JVM, and prints one Markdown table per scenario.
 * Run it with {@code bench/run}; {@code --smoke} is the seconds-long run CI does.
 */
public final class Bench {

    /** The internal endpoint's key in every broker process (BROKER_SERVICE_KEY). */
    static final String SERVICE_KEY = "bench-service-key-0123456789";

    static final String MAIN_DATABASE = "bench";

    private final BenchOptions options;
    private final BenchDatabase database;
    private final ProviderStub stub;
    private final Path logs;
    /** How long the last {@link #launch} took from spawn to ready (a guess before the first). */
    private Duration lastLaunch = Duration.ofSeconds(20);

    private Bench(BenchOptions options, BenchDatabase database, ProviderStub stub) {
        this.options = options;
        this.database = database;
        this.stub = stub;
        this.logs = options.project().resolve("target/bench");
    }

    public static void main(String[] args) throws Exception {
        run(BenchOptions.parse(args), System.out);
        System.exit(0);
    }

    /** Runs the chosen scenarios and prints (and returns) their tables in order. */
    static List<MarkdownTable> run(BenchOptions options, PrintStream out) throws Exception {
        List<MarkdownTable> tables = new ArrayList<>();
        try (BenchDatabase database = new BenchDatabase();
             ProviderStub stub = new ProviderStub(Duration.ofMillis(options.stormLatencyMs()))) {
            Bench bench = new Bench(options, database, stub);
            Footprint footprint = new Footprint(bench);
            if (options.runs("storm") || options.runs("hot") || options.runs("footprint")) {
                tables.addAll(bench.onMainDatabase(footprint, out));
            }
            if (options.runs("sweep")) {
                stub.latency(Duration.ofMillis(options.sweepLatencyMs()));
                tables.add(print(new SweepScale(bench).run(), out));
            }
            if (options.runs("footprint")) {
                tables.add(print(footprint.table(), out));
            }
        }
        return tables;
    }

    /** Storm and hot path on one database, one instance set per instance count; footprint samples along the way. */
    private List<MarkdownTable> onMainDatabase(Footprint footprint, PrintStream out) throws Exception {
        String main = database.create(MAIN_DATABASE, null);
        RefreshStorm storm = new RefreshStorm(this, main);
        List<MarkdownTable> tables = new ArrayList<>();
        for (int count : options.instances()) {
            if (count != 1 && !options.runs("storm")) {
                continue;
            }
            try (BrokerInstances brokers = launch("bench-" + count, main, count, Map.of())) {
                if (count == 1) {
                    footprint.started(brokers.instances().get(0));
                    if (options.runs("hot")) {
                        tables.add(print(new HotPath(this, main).run(brokers), out));
                    }
                }
                if (options.runs("storm") || options.runs("footprint")) {
                    storm.onBroker(brokers, count);
                }
                if (count == 1) {
                    footprint.afterStorm(brokers.instances().get(0));
                }
            }
        }
        if (options.runs("storm")) {
            for (int count : options.instances()) {
                storm.onSpringSecurity(count);
            }
            tables.add(print(storm.table(), out));
        }
        if (options.runs("footprint")) {
            for (int i = 1; i < options.reps(); i++) {
                try (BrokerInstances brokers = launch("footprint-" + i, main, 1, Map.of())) {
                    footprint.started(brokers.instances().get(0));
                }
            }
        }
        return tables;
    }

    /** Starts {@code count} brokers on {@code databaseName}, the validation sweep off unless {@code extra} says otherwise. */
    BrokerInstances launch(String name, String databaseName, int count, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> environment = brokerEnvironment(databaseName);
        environment.putAll(extra);
        long spawned = System.nanoTime();
        BrokerInstances started = BrokerInstances.start(options.brokerCommand(), options.project(), logs, name, count, environment);
        lastLaunch = Duration.ofNanos(System.nanoTime() - spawned);
        return started;
    }

    Duration lastLaunch() {
        return lastLaunch;
    }

    /** What a broker process (or the CLI) of this benchmark runs with: database, keys, the stub's catalogue. */
    Map<String, String> brokerEnvironment(String databaseName) {
        Map<String, String> environment = new HashMap<>(database.brokerEnvironment(databaseName));
        environment.put("APP_JWT_SECRET", "bench-jwt-secret-that-is-long-enough-for-hs256!!");
        environment.put("BROKER_SERVICE_KEY", SERVICE_KEY);
        environment.put("BROKER_PROVIDERS_FILE", options.project().resolve("bench/providers.yaml").toString());
        environment.put("BENCH_STUB_URL", stub.url());
        environment.put("BROKER_SWEEP_ENABLED", "false");
        // the connection events of the seeded grants are not delivered meanwhile: their log sink would
        // compete with what is measured for the same cores
        environment.put("BROKER_EVENTS_POLL", "1h");
        return environment;
    }

    BenchOptions options() {
        return options;
    }

    BenchDatabase database() {
        return database;
    }

    ProviderStub stub() {
        return stub;
    }

    Path logs() {
        return logs;
    }

    static String tokenPath(String user) {
        return "/internal/users/" + user + "/tokens/stub";
    }

    private static MarkdownTable print(MarkdownTable table, PrintStream out) {
        table.print(out);
        return table;
    }
}
