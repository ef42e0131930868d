package dev.oauthbroker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A broker instance {@link BrokerInstances} started as the service's own build in a JVM of its own
 * ({@code java -cp … OAuthBrokerApplication} with the instance's arguments): ready when
 * {@code GET /api/tools} first answers 200; {@link #kill()} is SIGKILL, {@link #close()} a normal stop.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final String log;

    private BrokerProcess(Process process, int port, String log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Process process() {
        return process;
    }

    /** SIGKILL, as a crash or an OOM killer ends a pod; returns once it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        stop(process);
    }

    /** Stops a process as a shutdown would (SIGTERM), forcibly after 30 s; also the benchmark's way to stop its processes. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the broker process exited with " + process.exitValue() + " before it was ready" + log);
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/tools")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How the process runs: classpath, environment, where its output goes. */
    public static final class Builder {

        private final List<String> profiles;
        private final List<String> arguments;
        private final int port;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean mainClasspathOnly;
        private Path output;
        private Duration readyWithin = Duration.ofMinutes(3);

        Builder(List<String> profiles, List<String> arguments, int port) {
            this.profiles = profiles;
            this.arguments = arguments;
            this.port = port;
        }

        /** The main classpath only (no test classes or resources: Spring Boot's own logging setup, not the tests'). */
        public Builder mainClasspathOnly() {
            mainClasspathOnly = true;
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Its output (stdout and stderr) to {@code file}; by default discarded. */
        public Builder output(Path file) {
            output = file;
            return this;
        }

        public Builder readyWithin(Duration limit) {
            readyWithin = limit;
            return this;
        }

        public BrokerProcess start() {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", mainClasspathOnly ? BrokerInstances.mainClasspath() : System.getProperty("java.class.path"),
                    OAuthBrokerApplication.class.getName()));
            if (!profiles.isEmpty()) {
                command.add("--spring.profiles.active=" + String.join(",", profiles));
            }
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
            builder.environment().putAll(environment);
            BrokerProcess started;
            try {
                started = new BrokerProcess(builder.start(), port, output == null ? "" : " (see " + output + ")");
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + command.get(0), e);
            }
            try {
                Awaitility.await().atMost(readyWithin).pollInterval(Duration.ofMillis(200)).until(started::ready);
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        }
    }
}
