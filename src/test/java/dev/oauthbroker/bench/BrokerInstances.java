package dev.oauthbroker.bench;

import dev.oauthbroker.BrokerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One to three broker processes on one PostgreSQL database, each started as the README starts it
 * in production ({@code java -jar target/oauth-broker.jar}, or the same classes from a classpath
 * when the jar is not built yet), and ready when {@code GET /api/tools} first answers 200. The hot
 * path's floor (another command, same readiness) is started the same way.
 */
final class BrokerInstances implements AutoCloseable {

    /** One broker process and how long it took from spawn to its first 200. */
    record Instance(Process process, int port, double readySeconds) {

        long residentKilobytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IOException("no VmRSS for pid " + process.pid());
        }
    }

    /** USER_HZ: the unit of {@code /proc/<pid>/stat}'s times, 100 on every Linux architecture Java runs on. */
    static final int CLOCK_TICKS_PER_SECOND = 100;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** Processes still running, ended when the harness's JVM ends however it ends (Ctrl-C included). */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final List<Instance> instances = new ArrayList<>();

    private BrokerInstances() {}

    /**
     * Starts {@code count} instances at once with {@code environment} (plus their own ports) and
     * waits until every one is ready; their output goes to {@code logs/<name>-<i>.log}.
     */
    static BrokerInstances start(List<String> javaCommand, Path workingDirectory, Path logs, String name, int count,
                                 Map<String, String> environment) throws IOException, InterruptedException {
        BrokerInstances started = new BrokerInstances();
        Files.createDirectories(logs);
        List<Process> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<Long> spawned = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int port = freePort();
                ProcessBuilder builder = new ProcessBuilder(javaCommand).directory(workingDirectory.toFile())
                        .redirectErrorStream(true).redirectOutput(logs.resolve(name + "-" + i + ".log").toFile());
                builder.environment().putAll(environment);
                builder.environment().put("SERVER_PORT", Integer.toString(port));
                builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(freePort()));
                builder.environment().put("BROKER_DATA_DIR", logs.resolve(name + "-" + i + "-data").toString());
                spawned.add(System.nanoTime());
                Process process = builder.start();
                LIVE.add(process);
                processes.add(process);
                ports.add(port);
            }
            for (int i = 0; i < count; i++) {
                double ready = awaitReady(processes.get(i), ports.get(i), spawned.get(i), logs.resolve(name + "-" + i + ".log"));
                started.instances.add(new Instance(processes.get(i), ports.get(i), ready));
            }
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            processes.forEach(BrokerInstances::stop);
            throw e;
        }
    }

    /**
     * CPU time every instance has used so far, user and system (utime + stime of {@code /proc/<pid>/stat},
     * in clock ticks of {@value #CLOCK_TICKS_PER_SECOND} per second, Linux's USER_HZ), in milliseconds.
     */
    double cpuMillis() throws IOException {
        double ticks = 0;
        for (Instance instance : instances) {
            String stat = Files.readString(Path.of("/proc", Long.toString(instance.process().pid()), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
    }

    List<Instance> instances() {
        return instances;
    }

    int port(int caller) {
        return instances.get(caller % instances.size()).port();
    }

    private static double awaitReady(Process process, int port, long spawned, Path log) throws IOException, InterruptedException {
        long deadline = spawned + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("broker exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port)) {
                if (client.get("/api/tools") == 200) {
                    return (System.nanoTime() - spawned) / 1e9;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        throw new IOException("broker not ready within " + START_TIMEOUT + "; see " + log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process process) {
        LIVE.remove(process);
        BrokerProcess.stop(process);
    }

    @Override
    public void close() {
        instances.forEach(instance -> stop(instance.process()));
    }
}
