package dev.oauthbroker.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresConfigurationTests {

    @TempDir
    Path data;

    final EmbeddedPostgresConfiguration configuration = new EmbeddedPostgresConfiguration();

    @Test
    void aDataFolderKeepsItsDataAcrossRestartsAndTheCliAttachesToARunningServer() throws Exception {
        String dir = data.resolve("pg").toString();
        try (EmbeddedDatabase first = configuration.embeddedDatabase(dir, 0, false)) {
            execute(first, "create table kept (v text); insert into kept values ('still here')");

            assertThatThrownBy(() -> configuration.embeddedDatabase(dir, 0, false))
                    .hasMessageContaining("is in use by another oauth-broker process").hasMessageContaining("BROKER_DATA_DIR");
            try (EmbeddedDatabase attached = configuration.embeddedDatabase(dir, 0, true)) {
                assertThat(attached.jdbcUrl()).isEqualTo(first.jdbcUrl());
                assertThat(query(attached)).isEqualTo("still here");
            }
        }
        assertThat(Files.exists(data.resolve("pg/PG_VERSION"))).isTrue();
        try (EmbeddedDatabase restarted = configuration.embeddedDatabase(dir, 0, true)) {
            assertThat(query(restarted)).as("a restart loses nothing").isEqualTo("still here");
        }
    }

    private static void execute(EmbeddedDatabase db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            c.createStatement().execute(sql);
        }
    }

    private static String query(EmbeddedDatabase db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            var rs = c.createStatement().executeQuery("select v from kept");
            rs.next();
            return rs.getString(1);
        }
    }
}
