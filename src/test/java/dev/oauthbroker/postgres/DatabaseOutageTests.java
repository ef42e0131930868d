package dev.oauthbroker.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseOutageTests {

    @Test
    void anUnreachableDatabaseIsRecognisedHoweverDeepItIsWrapped() {
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available");
        assertThat(DatabaseOutage.isCauseOf(new CannotGetJdbcConnectionException("no connection", poolTimeout))).isTrue();
        assertThat(DatabaseOutage.isCauseOf(new CannotCreateTransactionException("could not open", poolTimeout))).isTrue();
        assertThat(DatabaseOutage.isCauseOf(new IllegalStateException("refresh route failed", poolTimeout))).isTrue();
        assertThat(DatabaseOutage.isCauseOf(new UncategorizedSQLException("select", "select 1",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseOutage.isCauseOf(new SQLException("An I/O error occurred while sending to the backend.", "08006"))).isTrue();
    }

    @Test
    void bugsAreNotOutages() {
        assertThat(DatabaseOutage.isCauseOf(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(DatabaseOutage.isCauseOf(new IllegalArgumentException("unknown provider"))).isFalse();
        assertThat(DatabaseOutage.isCauseOf(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseOutage.isCauseOf(null)).isFalse();
    }
}
