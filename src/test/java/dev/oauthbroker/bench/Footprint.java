package dev.oauthbroker.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one instance costs: spawn to its first 200 from {@code GET /api/tools}, resident memory
 * (VmRSS) when idle after start and after the refresh storm, and the CLI's wall time for
 * {@code --help} and {@code status} (the CLI needs the built jar: only with {@code --jar}).
 */
final class Footprint {

    private static final long IDLE_SETTLE_MILLIS = 2000;

    private final Bench bench;
    private final List<Double> ready = new ArrayList<>();
    private final List<Double> idleMegabytes = new ArrayList<>();
    private final List<Double> afterStormMegabytes = new ArrayList<>();

    Footprint(Bench bench) {
        this.bench = bench;
    }

    void started(BrokerInstances.Instance instance) throws IOException, InterruptedException {
        ready.add(instance.readySeconds());
        Thread.sleep(IDLE_SETTLE_MILLIS);
        idleMegabytes.add(instance.residentKilobytes() / 1024.0);
    }

    void afterStorm(BrokerInstances.Instance instance) throws IOException {
        afterStormMegabytes.add(instance.residentKilobytes() / 1024.0);
    }

    MarkdownTable table() throws IOException, InterruptedException {
        MarkdownTable table = new MarkdownTable("Footprint: one instance", "measure", "value");
        table.row("process start to first 200 from GET /api/tools, s", MarkdownTable.figure(ready, "%.1f"));
        table.row("resident memory idle (2 s after ready), MB", MarkdownTable.figure(idleMegabytes, "%.0f"));
        table.row("resident memory after the refresh storm, MB", MarkdownTable.figure(afterStormMegabytes, "%.0f"));
        if (bench.options().jar() != null && bench.options().cliRuns() > 0) {
            table.row("`./oauth-cli --help`, s", MarkdownTable.figure(cli("--help"), "%.2f"));
            table.row("`./oauth-cli status`, s", MarkdownTable.figure(cli("status"), "%.2f"));
        }
        return table;
    }

    /** Wall time of the CLI's runs after one untimed run (which writes its class-data archive). */
    private List<Double> cli(String command) throws IOException, InterruptedException {
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run <= bench.options().cliRuns(); run++) {
            ProcessBuilder builder = new ProcessBuilder("./oauth-cli", command).directory(bench.options().project().toFile())
                    .redirectErrorStream(true).redirectOutput(bench.logs().resolve("cli-" + command.replace("-", "") + ".log").toFile());
            builder.environment().putAll(bench.brokerEnvironment(Bench.MAIN_DATABASE));
            long start = System.nanoTime();
            int exit = builder.start().waitFor();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IOException("./oauth-cli " + command + " exited with " + exit + "; see " + bench.logs());
            }
            if (run > 0) {
                seconds.add(elapsed);
            }
        }
        return seconds;
    }
}
