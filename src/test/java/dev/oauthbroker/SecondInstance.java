package dev.oauthbroker;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second broker instance on the shared test database, as a second pod would be: the test
 * profile, its own random port, providers at the same WireMock. Started by the test classes that
 * need two instances (each closes its own).
 */
public final class SecondInstance {

    private SecondInstance() {
    }

    /** Starts an instance on the database of {@code shared} (the shared context's pool). */
    public static ConfigurableApplicationContext start(DataSource shared, String providersBaseUrl, String... more) {
        String url = ((HikariDataSource) shared).getJdbcUrl();
        String[] args = new String[4 + more.length];
        args[0] = "--spring.datasource.url=" + url;
        args[1] = "--spring.datasource.username=postgres";
        args[2] = "--server.port=0";
        args[3] = "--wiremock.base=" + providersBaseUrl;
        System.arraycopy(more, 0, args, 4, more.length);
        return new SpringApplicationBuilder(OAuthBrokerApplication.class).profiles("test").run(args);
    }

    public static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }
}
