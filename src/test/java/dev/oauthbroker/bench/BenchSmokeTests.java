package dev.oauthbroker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness in its smoke preset (seconds, 5 grants, 20 callers, one instance as a
 * separate process from this build's classes), so {@code bench/run} cannot rot: every scenario
 * prints its table, and the storm costs the broker exactly one provider call per grant.
 */
@Tag("processes")
class BenchSmokeTests {

    @Test
    void smokeRunPrintsEveryTableAndTheStormCostsOneProviderCallPerGrant() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<MarkdownTable> tables = Bench.run(BenchOptions.parse("--smoke"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(tables).extracting(t -> t.toString().split(":")[0])
                .containsExactly("Hot path", "Refresh storm", "Sweep scale", "Footprint");
        List<String> broker = row(tables, "Refresh storm", "oauth-broker");
        assertThat(broker.get(2)).as("provider token calls").isEqualTo("5");
        assertThat(broker.get(6)).as("errors").isEqualTo("0");
        assertThat(broker.get(7)).as("grants left dead").isEqualTo("0");
        assertThat(row(tables, "Refresh storm", "Spring Security OAuth2 client").get(2)).as("reference client's calls").isNotEqualTo("-");
        assertThat(table(tables, "Hot path").rows()).allSatisfy(r -> assertThat(r.get(r.size() - 1)).as("hot path errors (the last column)").isEqualTo("0"));
        assertThat(row(tables, "Sweep scale", "20").get(2)).matches("\\d+\\.\\d");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| oauth-broker | 1 | 5 |");
    }

    private static MarkdownTable table(List<MarkdownTable> tables, String title) {
        return tables.stream().filter(t -> t.toString().startsWith(title)).findFirst().orElseThrow();
    }

    private static List<String> row(List<MarkdownTable> tables, String title, String first) {
        return table(tables, title).rows().stream().filter(r -> r.get(0).equals(first)).findFirst().orElseThrow();
    }
}
