package dev.oauthbroker;

import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Every broker instance a test starts besides the shared test context, built one way: the
 * {@code test} profile (plus {@link #demo()}), ports of its own chosen before it starts (so its
 * redirect URI, {@code http://localhost:<port>}, is itself), the providers at this JVM's WireMock,
 * and what a test varies — the database (the shared context's, a folder of its own, an external
 * URL, or a throwaway server), a routes folder, a catalogue, properties.
 * <ul>
 *   <li>{@link #start()}: an instance of the caller's, closed by the caller (try-with-resources, {@code @AfterAll});</li>
 *   <li>{@link #shared()}: the one instance of exactly these arguments in this JVM, started by the first class asking,
 *       reused by every other, closed when the JVM ends;</li>
 *   <li>{@link #startProcess()}: the same arguments in a JVM of its own — for a test that kills it, or that needs
 *       Spring Boot's own logging setup.</li>
 * </ul>
 */
public final class BrokerInstances {

    /** The demo's data folder (its secrets file) in the tests: each test JVM its own (pom.xml). */
    public static final String DEMO_DATA_DIR = "target/demo-test-data/fork-" + System.getProperty("test.fork", "1");

    private static final Map<List<String>, BrokerInstance> SHARED = new ConcurrentHashMap<>();

    private final List<String> profiles = new ArrayList<>(List.of("test"));
    private final Map<String, String> properties = new LinkedHashMap<>();
    private int port;
    private int managementPort;

    private BrokerInstances() {
        properties.put("wiremock.base", TestProviders.server().baseUrl());
    }

    /** On the database of the shared test context (as a second pod on the same PostgreSQL). */
    public static BrokerInstances onSharedDatabase(DataSource shared) {
        return onDatabase(((HikariDataSource) shared).getJdbcUrl());
    }

    /** On an external PostgreSQL at {@code jdbcUrl} (user {@code postgres}). */
    public static BrokerInstances onDatabase(String jdbcUrl) {
        return new BrokerInstances().with("spring.datasource.url", jdbcUrl).with("spring.datasource.username", "postgres");
    }

    /** On an embedded PostgreSQL of its own whose data stays in {@code folder} (a restart on the same folder loses nothing). */
    public static BrokerInstances inDataFolder(Path folder) {
        return new BrokerInstances().with("broker.embedded-postgres.data-dir", folder.toString());
    }

    /** On a throwaway embedded PostgreSQL of its own. */
    public static BrokerInstances onOwnDatabase() {
        return new BrokerInstances();
    }

    /**
     * The README's demo as the browser sees it, on the shared test database: the {@code demo} profile with the
     * shipped catalogue (so the sandbox provider is on) and its data in {@link #DEMO_DATA_DIR}; one per test JVM.
     */
    public static BrokerInstance demoOn(DataSource shared) {
        return onSharedDatabase(shared).demo().catalogue(Path.of("config/providers.yaml"))
                .with("broker.data-dir", DEMO_DATA_DIR).shared();
    }

    /** Adds the {@code demo} profile. */
    public BrokerInstances demo() {
        profiles.add("demo");
        return this;
    }

    /** Only these profiles (no {@code test}: e.g. a process on the main classpath, configured by its environment). */
    public BrokerInstances profiles(String... only) {
        profiles.clear();
        profiles.addAll(List.of(only));
        return this;
    }

    /** The flows of {@code folder} instead of {@code routes/} ({@code BROKER_ROUTES}, as an integrator points it). */
    public BrokerInstances routes(Path folder) {
        return with("BROKER_ROUTES", "file:" + folder.toAbsolutePath() + "/*.camel.yaml");
    }

    /** The flows of {@code folder}, reloaded on change (the demo's {@code BROKER_ROUTES_RELOAD_DIR}). */
    public BrokerInstances watchingRoutes(Path folder) {
        return routes(folder).with("BROKER_ROUTES_RELOAD_DIR", folder.toAbsolutePath().toString());
    }

    /** The provider catalogue in {@code file} ({@code broker.providers-file}). */
    public BrokerInstances catalogue(Path file) {
        return with("broker.providers-file", file.toString());
    }

    /** The providers at {@code baseUrl} instead of this JVM's WireMock. */
    public BrokerInstances providers(String baseUrl) {
        return with("wiremock.base", baseUrl);
    }

    /** Any property, as {@code --name=value} on the command line. */
    public BrokerInstances with(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /** The ports to listen on, when the test must know them before the instance starts. */
    public BrokerInstances ports(int server, int management) {
        this.port = server;
        this.managementPort = management;
        return this;
    }

    /** Starts an instance in this JVM; the caller closes it. */
    public BrokerInstance start() {
        return start(false);
    }

    /** The instance of exactly these arguments in this JVM, started on first use; closing it is left to the JVM's end. */
    public BrokerInstance shared() {
        return SHARED.computeIfAbsent(definition(), d -> {
            BrokerInstance instance = start(true);
            Runtime.getRuntime().addShutdownHook(new Thread(instance.context()::close));
            return instance;
        });
    }

    /** Starts these arguments as the service's own build in a JVM of its own, ready when {@code /api/tools} answers. */
    public BrokerProcess.Builder process() {
        List<String> arguments = arguments();
        return new BrokerProcess.Builder(profiles, arguments, port);
    }

    /** Shorthand of {@code process().start()}. */
    public BrokerProcess startProcess() {
        return process().start();
    }

    private BrokerInstance start(boolean shared) {
        List<String> arguments = arguments();
        return new BrokerInstance(new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles(profiles.toArray(String[]::new))
                .run(arguments.toArray(String[]::new)), shared);
    }

    /** What makes two instances the same: profiles and properties (ports are each instance's own). */
    private List<String> definition() {
        List<String> definition = new ArrayList<>(profiles);
        properties.forEach((name, value) -> definition.add(name + "=" + value));
        return definition;
    }

    private List<String> arguments() {
        if (port == 0) {
            port = freePort();
            managementPort = freePort();
        }
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--management.server.port=" + managementPort));
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /** A TCP port free right now (for a server to be started on it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This JVM's classpath without the test classes and resources: the service as an operator's process sees it. */
    static String mainClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    }
}
