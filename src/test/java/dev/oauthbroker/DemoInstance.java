package dev.oauthbroker;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second broker in the {@code demo} profile with the shipped catalogue (so the sandbox provider
 * is on), on the shared test database: the README's demo, as the browser sees it. Started once
 * per test JVM, on a port chosen first so its redirect URI is itself.
 */
public final class DemoInstance {

    /** The demo's data folder (its secrets file) in the tests: each test JVM its own. */
    public static final String DATA_DIR = "target/demo-test-data/fork-" + System.getProperty("test.fork", "1");

    private static ConfigurableApplicationContext context;
    private static int port;

    private DemoInstance() {}

    public static synchronized String baseUrl(DataSource sharedDatabase) {
        if (context == null) {
            port = freePort();
            context = new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles("test", "demo")
                    .run("--spring.datasource.url=" + ((HikariDataSource) sharedDatabase).getJdbcUrl(),
                            "--spring.datasource.username=postgres",
                            "--server.port=" + port,
                            "--broker.public-base-url=http://localhost:" + port,
                            "--broker.providers-file=config/providers.yaml",
                            "--broker.data-dir=" + DATA_DIR);
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        }
        return "http://localhost:" + port;
    }

    public static ConfigurableApplicationContext context() {
        return context;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
