package dev.oauthbroker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The hot path's closed loop from wrk (Debian's package {@code wrk}), the load generator the issue's
 * first figures came from: its own process, two event-loop threads for all connections, where the
 * harness's generator runs a thread per connection on the same two cores.
 */
final class Wrk {

    private Wrk() {}

    /** The harness's report script (the harness runs in the project folder, whichever build it measures). */
    private static final Path SUMMARY = Path.of("bench", "wrk-summary.lua").toAbsolutePath();

    static Latencies.Summary closedLoop(int concurrency, Duration duration, LoadGenerator.Call call) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, concurrency), "-c" + concurrency,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", SUMMARY.toString()));
        for (String header : call.headers()) {
            command.addAll(List.of("-H", header));
        }
        command.add("http://127.0.0.1:" + call.port() + call.path());
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        String line = output.lines().filter(l -> l.startsWith("wrk-summary ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no summary: " + output));
        String[] f = line.split(" ");
        return new Latencies.Summary(Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[2]) / 1e6,
                Long.parseLong(f[4]) / 1e3, Long.parseLong(f[5]) / 1e3);
    }
}
