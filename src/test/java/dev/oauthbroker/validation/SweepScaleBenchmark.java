package dev.oauthbroker.validation;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark, not a test (surefire's default includes never pick a {@code *Benchmark}): the run time
 * of one sweep run over 3,000 grants against an identity endpoint answering in 50 ms, worked by 1 and
 * by 3 instances (application contexts in this JVM on one PostgreSQL, each with the default batch and
 * parallelism, the production timeouts). Prints a Markdown table. Run it alone ({@code -Drounds=n} for
 * more rounds): {@code ./mvnw -B -q test -Dtest=SweepScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
class SweepScaleBenchmark {

    private static final int GRANTS = 3_000;
    private static final int ROUNDS = Integer.getInteger("rounds", 1);
    /** This JVM's CPU time (the instances, WireMock; not PostgreSQL's processes) and the machine's load. */
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void sweepRunTimeOnOneAndOnThreeInstances() throws Exception {
        WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(200).asynchronousResponseEnabled(true).asynchronousResponseThreads(100));
        provider.start();
        provider.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}").withFixedDelay(50)));
        List<ConfigurableApplicationContext> instances = new ArrayList<>();
        try {
            instances.add(instance(provider, null));
            String database = ((HikariDataSource) instances.get(0).getBean(DataSource.class)).getJdbcUrl();
            instances.add(instance(provider, database));
            instances.add(instance(provider, database));
            JdbcGrantStore grants = instances.get(0).getBean(JdbcGrantStore.class);
            for (int i = 0; i < GRANTS; i++) {
                grants.connect("bench-user-" + i, "acme", List.of("acme_wiki"), new TokenSet("acme-SECRET-" + i, "acme-SECRET-rt-" + i, "Bearer", 3600L, List.of()));
            }

            run(instances.subList(0, 3)); // warm-up: JIT, connection pools
            StringBuilder table = new StringBuilder("| instances | grants | run time | grants/s | identity calls | valid | errors | CPU of this JVM | machine load (1 min) |\n"
                    + "|---|---|---|---|---|---|---|---|---|\n");
            long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
            for (int round = 0; round < ROUNDS; round++) {
                for (int n : new int[] {1, 3}) {
                    provider.resetRequests();
                    long started = System.nanoTime();
                    long cpuBefore = CPU.getProcessCpuTime();
                    Map<String, Object> summary = run(instances.subList(0, n));
                    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                    long cpuMillis = Duration.ofNanos(CPU.getProcessCpuTime() - cpuBefore).toMillis();
                    assertThat(summary).containsEntry("checked", GRANTS).containsEntry("instances", n);
                    int calls = provider.countRequestsMatching(getRequestedFor(urlPathEqualTo("/acme/userinfo")).build()).getCount();
                    table.append("| %d | %d | %d ms | %d | %d | %s | %s | %d ms (%.1f ms a grant) | %.1f on %d cores |%n".formatted(n, GRANTS, millis,
                            GRANTS * 1000L / millis, calls, summary.get("valid"), summary.get("errors"), cpuMillis, cpuMillis / (double) GRANTS,
                            CPU.getSystemLoadAverage(), CPU.getAvailableProcessors()));
                    int slot = n == 1 ? 0 : 1;
                    best[slot] = Math.min(best[slot], millis);
                }
            }
            System.out.printf("%nSweep of %d grants, identity endpoint answering in 50 ms (batch 64, parallelism 16 per instance):%n%n%s%n"
                    + "Speed-up, 3 instances over 1 (best of %d rounds each): %.2fx%n%n", GRANTS, table, ROUNDS, (double) best[0] / best[1]);
        } finally {
            instances.forEach(ConfigurableApplicationContext::close);
            provider.stop();
        }
    }

    /** One manual run, started on every given instance at once (each joins it); its summary, the same on each. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(List<ConfigurableApplicationContext> instances) {
        List<CompletableFuture<Map<String, Object>>> workers = instances.stream()
                .map(instance -> CompletableFuture.supplyAsync(() -> (Map<String, Object>) instance.getBean(ProducerTemplate.class)
                        .request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true)).getMessage().getBody(Map.class)))
                .toList();
        List<Map<String, Object>> summaries = workers.stream().map(CompletableFuture::join).toList();
        summaries.forEach(summary -> assertThat(summary).isEqualTo(summaries.get(0)));
        return summaries.get(0);
    }

    private static ConfigurableApplicationContext instance(WireMockServer provider, String database) {
        BrokerInstances instance = database == null ? BrokerInstances.onOwnDatabase() : BrokerInstances.onDatabase(database);
        return instance.providers(provider.baseUrl()).with("broker.sweep.batch", "64").with("broker.http.connect-timeout", "5000")
                .with("broker.http.read-timeout", "8000").with("logging.level.dev.oauthbroker", "INFO").with("logging.level.root", "WARN")
                .start().context();
    }
}
