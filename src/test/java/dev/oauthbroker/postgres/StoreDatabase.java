package dev.oauthbroker.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.crypto.AesGcmTokenCipher;
import dev.oauthbroker.crypto.TokenKey;
import dev.oauthbroker.events.JdbcEventOutbox;
import dev.oauthbroker.grant.JdbcGrantStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PostgreSQL for the stores' tests without Spring: one embedded server per JVM, migrated once by
 * the service's own Flyway scripts into a template database; each {@link #create()} is a database
 * of its own copied from it (milliseconds), so a test class never sees another's rows — also when
 * classes run in parallel. Plus the pieces a store is built from: {@link #jdbc}, {@link #transactions},
 * a {@link #cipher} and {@link #defaults() the default settings}.
 */
public final class StoreDatabase {

    private static final String TEMPLATE = "store_template";
    private static final AtomicInteger databases = new AtomicInteger();
    private static EmbeddedPostgres server;

    private StoreDatabase() {
    }

    /** A new database with the service's schema and no rows (a pool of up to four connections to it). */
    public static DataSource create() {
        String name = "store_" + databases.incrementAndGet();
        new JdbcTemplate(server().getPostgresDatabase()).execute("create database " + name + " template " + TEMPLATE);
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(server().getJdbcUrl("postgres", name));
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(0);
        return pool;
    }

    public static JdbcTemplate jdbc(DataSource data) {
        return new JdbcTemplate(data);
    }

    public static TransactionTemplate transactions(DataSource data) {
        return new TransactionTemplate(new DataSourceTransactionManager(data));
    }

    /** The grant store on {@code data}, as the service builds it (its events in the same outbox, default settings). */
    public static JdbcGrantStore grantStore(DataSource data, AesGcmTokenCipher cipher, Clock clock) {
        JdbcTemplate jdbc = jdbc(data);
        return new JdbcGrantStore(jdbc, transactions(data), cipher, clock, new JdbcEventOutbox(jdbc, clock, defaults().events()));
    }

    /** A cipher whose current key is {@code key} (any text of 32 bytes or more), opening values of {@code previous} keys too. */
    public static AesGcmTokenCipher cipher(String key, String... previous) {
        return new AesGcmTokenCipher(key(key), Arrays.stream(previous).map(StoreDatabase::key).toList());
    }

    /** The service's settings as bound with {@code values} ({@code refresh.lease: 8s}, …) and defaults for the rest. */
    public static BrokerProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("broker", BrokerProperties.class);
    }

    /** The service's default settings. */
    public static BrokerProperties defaults() {
        return properties(Map.of());
    }

    private static TokenKey key(String text) {
        return TokenKey.fromBase64("ENCRYPTION_KEY", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                EmbeddedPostgres started = EmbeddedPostgres.builder().start();
                new JdbcTemplate(started.getPostgresDatabase()).execute("create database " + TEMPLATE);
                Flyway.configure().dataSource(started.getDatabase("postgres", TEMPLATE)).locations("classpath:db/migration").load().migrate();
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return server;
    }
}
