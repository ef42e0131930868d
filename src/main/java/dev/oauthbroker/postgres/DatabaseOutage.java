package dev.oauthbroker.postgres;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a failure that means "PostgreSQL cannot be reached right now" — no pooled connection
 * within the pool's {@code connection-timeout} ({@code CannotGetJdbcConnectionException}), a refused
 * or broken connection (SQLState class 08), a server shutting down (57P), a transient failure — as
 * opposed to a bug. Callers get {@code 503 service_unavailable} with {@code Retry-After} (docs/design.md)
 * instead of a 500; nothing needs resetting afterwards, the pool opens new connections once the
 * server answers again.
 */
public final class DatabaseOutage {

    /** What a caller is told to wait before trying again: a restarting server is back in seconds. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private DatabaseOutage() {}

    /** Whether {@code failure}, or anything that caused it, is the database being unreachable. */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
