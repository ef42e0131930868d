package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * K grants whose access tokens expired, N callers released at once (caller j asks for grant
 * j mod K through instance j mod I): how many token calls reach the rotating provider (ideal: K),
 * what the callers wait, how many fail, and how many grants are left dead — holding a refresh
 * token the provider no longer honours, or marked for reauthorization. Then the same workload
 * through Spring Security's OAuth2 client.
 */
final class RefreshStorm {

    /** One run's figures. */
    private record Run(double calls, double p50, double p99, double max, double errors, double dead) {}

    private final Bench bench;
    private final String databaseName;
    private final Map<String, List<Run>> runs = new LinkedHashMap<>();
    private int seeded;

    RefreshStorm(Bench bench, String databaseName) {
        this.bench = bench;
        this.databaseName = databaseName;
    }

    void onBroker(BrokerInstances brokers, int instances) throws Exception {
        BenchOptions options = bench.options();
        try (HikariDataSource data = bench.database().dataSource(databaseName)) {
            JdbcGrantStore store = BenchDatabase.grantStore(data);
            for (int rep = 0; rep < options.reps(); rep++) {
                IntFunction<String> user = users("storm");
                BenchDatabase.seed(store, options.stormGrants(), user, 3600);
                expire(data, user);
                Run run = measure(user, caller -> LoadGenerator.http(new LoadGenerator.Call(brokers.port(caller),
                        Bench.tokenPath(user.apply(caller % options.stormGrants())), "X-Broker-Key: " + Bench.SERVICE_KEY)),
                        grant -> dead(store, grant));
                runs.computeIfAbsent("oauth-broker|" + instances, k -> new ArrayList<>()).add(run);
            }
        }
    }

    void onSpringSecurity(int instances) throws Exception {
        BenchOptions options = bench.options();
        try (SpringSecurityClients clients = new SpringSecurityClients(bench.database(), databaseName, instances, bench.stub().url())) {
            for (int rep = 0; rep < options.reps(); rep++) {
                IntFunction<String> user = users("spring");
                for (int i = 0; i < options.stormGrants(); i++) {
                    clients.seed(user.apply(i));
                }
                Run run = measure(user, caller -> LoadGenerator.inProcess(
                        () -> clients.authorize(caller, user.apply(caller % options.stormGrants()))),
                        principal -> !bench.stub().isCurrent(clients.storedRefreshToken(principal)));
                runs.computeIfAbsent("Spring Security OAuth2 client|" + instances, k -> new ArrayList<>()).add(run);
            }
        }
    }

    MarkdownTable table() {
        BenchOptions options = bench.options();
        MarkdownTable table = new MarkdownTable(String.format("Refresh storm: %d expired grants, %d concurrent callers, provider latency %d ms, rotating refresh tokens",
                options.stormGrants(), options.stormCallers(), options.stormLatencyMs()),
                "client", "instances", "provider token calls (ideal " + options.stormGrants() + ")", "p50 ms", "p99 ms", "max ms",
                "errors", "grants left dead");
        runs.forEach((key, list) -> {
            String[] parts = key.split("\\|");
            table.row(parts[0], parts[1], column(list, Run::calls, "%.0f"), column(list, Run::p50, "%.0f"),
                    column(list, Run::p99, "%.0f"), column(list, Run::max, "%.0f"), column(list, Run::errors, "%.0f"),
                    column(list, Run::dead, "%.0f"));
        });
        return table;
    }

    private Run measure(IntFunction<String> user, IntFunction<LoadGenerator.Caller> callers,
                        Predicate<String> isDead) throws Exception {
        BenchOptions options = bench.options();
        bench.stub().resetCounts();
        Latencies latencies = LoadGenerator.burst(options.stormCallers(), callers);
        double calls = bench.stub().tokenCalls();
        int dead = 0;
        for (int i = 0; i < options.stormGrants(); i++) {
            if (isDead.test(user.apply(i))) {
                dead++;
            }
        }
        return new Run(calls, latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.maxMillis(),
                latencies.errors(), dead);
    }

    /** Moves the run's access tokens' expiry an hour into the past (a connect stores no token already expired). */
    private void expire(HikariDataSource data, IntFunction<String> user) {
        String[] users = IntStream.range(0, bench.options().stormGrants()).mapToObj(user).toArray(String[]::new);
        new JdbcTemplate(data).update(connection -> {
            PreparedStatement update = connection.prepareStatement("update grants set expires_at = now() - interval '1 hour' where user_id = any(?)");
            update.setArray(1, connection.createArrayOf("text", users));
            return update;
        });
    }

    /** A broker grant is dead when it awaits reauthorization or holds a refresh token the provider would refuse. */
    private boolean dead(JdbcGrantStore store, String user) {
        Optional<Grant> grant = store.findByUserTool(user, "stub");
        return grant.isEmpty() || grant.get().status() == GrantStatus.reauth_required
                || !bench.stub().isCurrent(grant.get().refreshToken());
    }

    /** Fresh user ids for one run, unique across runs and clients; each is also its refresh-token family. */
    private IntFunction<String> users(String client) {
        int run = seeded++;
        return i -> client + run + "u" + i;
    }

    private static String column(List<Run> list, ToDoubleFunction<Run> field, String format) {
        return MarkdownTable.figure(list.stream().map(field::applyAsDouble).toList(), format);
    }
}
