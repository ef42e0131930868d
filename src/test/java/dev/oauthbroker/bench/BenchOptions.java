package dev.oauthbroker.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does, from {@code --name=value} arguments (bench/README.md lists them);
 * {@code --smoke} is the seconds-long preset CI runs.
 */
record BenchOptions(
        Set<String> scenarios,
        int reps,
        List<Integer> instances,
        int stormGrants,
        int stormCallers,
        int stormLatencyMs,
        List<Integer> hotConcurrency,
        int hotSeconds,
        int hotWarmUpSeconds,
        List<Integer> sweepSizes,
        int sweepLatencyMs,
        int sweepParallelism,
        int sweepReps,
        int cliRuns,
        String load,
        Path project,
        Path jar,
        List<String> brokerJvmOptions) {

    static final Set<String> ALL = Set.of("storm", "hot", "sweep", "footprint");

    static BenchOptions parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + " (options are --name=value)");
            }
            int eq = arg.indexOf('=');
            given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        boolean smoke = given.containsKey("smoke");
        Map<String, String> values = new LinkedHashMap<>(smoke ? Map.ofEntries(
                Map.entry("scenarios", "storm,hot,sweep,footprint"), Map.entry("reps", "1"), Map.entry("instances", "1"),
                Map.entry("storm-grants", "5"), Map.entry("storm-callers", "20"), Map.entry("storm-latency-ms", "20"),
                Map.entry("hot-concurrency", "4"), Map.entry("hot-seconds", "1"), Map.entry("hot-warm-up-seconds", "1"), Map.entry("sweep-sizes", "20"),
                Map.entry("sweep-latency-ms", "50"), Map.entry("sweep-parallelism", "16"), Map.entry("sweep-reps", "1"),
                Map.entry("cli-runs", "0"), Map.entry("load", "java"))
                : Map.ofEntries(
                Map.entry("scenarios", "storm,hot,sweep,footprint"), Map.entry("reps", "3"), Map.entry("instances", "1,3"),
                Map.entry("storm-grants", "100"), Map.entry("storm-callers", "1000"), Map.entry("storm-latency-ms", "100"),
                Map.entry("hot-concurrency", "1,16,64"), Map.entry("hot-seconds", "5"), Map.entry("hot-warm-up-seconds", "20"), Map.entry("sweep-sizes", "1000,10000"),
                Map.entry("sweep-latency-ms", "50"), Map.entry("sweep-parallelism", "16"), Map.entry("sweep-reps", "2"),
                Map.entry("cli-runs", "3"), Map.entry("load", "java")));
        given.remove("smoke");
        for (String key : given.keySet()) {
            if (!values.containsKey(key) && !Set.of("project", "jar").contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        values.putAll(given);
        Set<String> scenarios = Set.copyOf(Arrays.asList(values.get("scenarios").split(",")));
        if (!ALL.containsAll(scenarios)) {
            throw new IllegalArgumentException("scenarios are " + ALL);
        }
        if (!Set.of("java", "wrk").contains(values.get("load"))) {
            throw new IllegalArgumentException("--load is java or wrk");
        }
        // the smoke's brokers compile with C1 only: they start sooner, and the smoke's figures are not read
        String jvm = System.getenv().getOrDefault("BENCH_BROKER_JAVA_OPTS", smoke ? "-XX:TieredStopAtLevel=1" : "").trim();
        return new BenchOptions(scenarios, integer(values, "reps"), integers(values, "instances"),
                integer(values, "storm-grants"), integer(values, "storm-callers"), integer(values, "storm-latency-ms"),
                integers(values, "hot-concurrency"), integer(values, "hot-seconds"), integer(values, "hot-warm-up-seconds"), integers(values, "sweep-sizes"),
                integer(values, "sweep-latency-ms"), integer(values, "sweep-parallelism"), integer(values, "sweep-reps"),
                integer(values, "cli-runs"), values.get("load"), Path.of(values.getOrDefault("project", ".")).toAbsolutePath().normalize(),
                values.containsKey("jar") ? Path.of(values.get("jar")).toAbsolutePath() : null,
                jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+")));
    }

    /** The command that starts one broker: {@code java -jar} on the built jar, else the main classes of this JVM's classpath. */
    List<String> brokerCommand() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(brokerJvmOptions);
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
            return command;
        }
        // under Surefire, java.class.path is a manifest-only jar; the real one is in surefire.test.class.path
        String tests = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classpath = Arrays.stream(tests.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.contains("spring-security"))
                .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
        command.addAll(List.of("-cp", classpath, "dev.oauthbroker.OAuthBrokerApplication"));
        return command;
    }

    /**
     * The command that starts the floor ({@code floor.FloorApplication}): this JVM's test classes and, of its
     * jars, only what {@code spring-boot-starter-web} brings — a bare Spring Boot MVC application.
     */
    List<String> floorCommand() {
        String tests = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classpath = Arrays.stream(tests.split(java.io.File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes") || STARTER_WEB.matcher(Path.of(entry).getFileName().toString()).matches())
                // absolute: the floor runs in the project folder, which need not be this JVM's
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "dev.oauthbroker.bench.floor.FloorApplication");
    }

    /** The jars of spring-boot-starter-web (with its starters for JSON, Tomcat and logging). */
    private static final java.util.regex.Pattern STARTER_WEB = java.util.regex.Pattern.compile(
            "(spring-(boot|boot-autoconfigure|boot-starter|boot-starter-json|boot-starter-tomcat|boot-starter-logging|boot-starter-web"
                    + "|core|jcl|context|beans|aop|expression|web|webmvc)"
                    + "|tomcat-embed-(core|el|websocket)|jackson-(core|databind|annotations|datatype-jdk8|datatype-jsr310|module-parameter-names)"
                    + "|micrometer-(observation|commons)|logback-(classic|core)|slf4j-api|jul-to-slf4j|log4j-to-slf4j|log4j-api"
                    + "|snakeyaml|jakarta\\.annotation-api)-\\d[^/]*\\.jar");

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    private static int integer(Map<String, String> values, String key) {
        return Integer.parseInt(values.get(key).trim());
    }

    private static List<Integer> integers(Map<String, String> values, String key) {
        return Arrays.stream(values.get(key).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
