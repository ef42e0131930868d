package dev.oauthbroker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenKey;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.postgres.StoreDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The PostgreSQL server every process of a benchmark shares (a separate server process), one
 * database per instance set, migrated by the service's own Flyway scripts and seeded through the
 * service's own {@link JdbcGrantStore} and {@link AesGcmTokenCipher} — so a seeded grant is
 * byte for byte what a connect would have stored.
 */
final class BenchDatabase implements AutoCloseable {

    /** Base64 token key shared by the harness and every broker process (ENCRYPTION_KEY). */
    static final String ENCRYPTION_KEY = "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktYmVuY2ghIQ==";

    private final EmbeddedPostgres postgres;

    BenchDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "400").start();
    }

    /** Creates an empty database with the service's schema, or one copied from {@code template}. */
    String create(String name, String template) {
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("create database " + name
                + (template == null ? "" : " template " + template));
        if (template == null) {
            try (HikariDataSource data = dataSource(name)) {
                Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();
            }
        }
        return name;
    }

    String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The variables that point a broker process at {@code database}. */
    Map<String, String> brokerEnvironment(String database) {
        return Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database,
                "SPRING_DATASOURCE_USERNAME", "postgres", "SPRING_DATASOURCE_PASSWORD", "postgres",
                "ENCRYPTION_KEY", ENCRYPTION_KEY);
    }

    HikariDataSource dataSource(String database) {
        HikariDataSource data = new HikariDataSource();
        data.setJdbcUrl(jdbcUrl(database));
        data.setMaximumPoolSize(12);
        return data;
    }

    /** The service's grant store on {@code data}, with the brokers' key. */
    static JdbcGrantStore grantStore(HikariDataSource data) {
        AesGcmTokenCipher cipher = new AesGcmTokenCipher(TokenKey.fromBase64("ENCRYPTION_KEY", ENCRYPTION_KEY), List.of());
        return StoreDatabase.grantStore(data, cipher, Clock.systemUTC());
    }

    /**
     * Connects {@code count} users' {@code stub} tool as the callback would, user {@code i} holding
     * refresh token generation 0 of family {@code user(i)}, access token expiring in {@code expiresIn}.
     */
    static void seed(JdbcGrantStore store, int count, IntFunction<String> user, long expiresInSeconds) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = user.apply(i);
                writes.add(writers.submit(() -> store.connect(id, "stub", List.of("stub"),
                        new TokenSet("at-" + id + "-0", ProviderStub.refreshToken(id, 0), "Bearer", expiresInSeconds, List.of()))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
