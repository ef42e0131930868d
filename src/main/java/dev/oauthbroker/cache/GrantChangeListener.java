package dev.oauthbroker.cache;

import com.zaxxer.hikari.HikariDataSource;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.postgres.DatabaseOutage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code LISTEN grant_changed} on one connection of its own — outside the pool, so a busy or
 * exhausted pool never delays an eviction and the listener never holds a pooled connection — in a
 * daemon thread that hands every notification to {@link GrantCache}. A silent connection is checked
 * with a query every {@code BROKER_TOKEN_CACHE_HEARTBEAT}, so a dead peer is noticed.
 *
 * <p>When the connection is lost the cache stops being read at once and one new connection is tried
 * straight away: if the database cannot be reached ({@link DatabaseOutage}) the cache serves what it
 * held ({@link GrantCache#outage()}); if it can, but listening fails, the cache is emptied
 * ({@link GrantCache#lost()}). Further attempts back off (100 ms doubling, at most
 * {@code BROKER_TOKEN_CACHE_RECONNECT_MAX_DELAY}); whenever listening starts again the cache is
 * emptied before it is trusted.
 */
@Component
public class GrantChangeListener implements SmartLifecycle {

    public static final String CHANNEL = "grant_changed";
    private static final Logger log = LoggerFactory.getLogger(GrantChangeListener.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private final GrantCache cache;
    private final DataSource dataSource;
    private final Duration heartbeat;
    private final Duration maxDelay;
    private volatile boolean running;
    private volatile Connection connection;
    private volatile int backendPid;
    private final AtomicLong received = new AtomicLong();
    private Thread thread;

    public GrantChangeListener(GrantCache cache, DataSource dataSource, BrokerProperties properties) {
        this.cache = cache;
        this.dataSource = dataSource;
        this.heartbeat = properties.tokenCache().heartbeat();
        this.maxDelay = properties.tokenCache().reconnectMaxDelay();
    }

    /** The PostgreSQL backend serving the listening connection (0 when not connected): for operators and drills. */
    public int backendPid() {
        return backendPid;
    }

    /**
     * Notifications handed to the cache so far (each counted after its eviction). A barrier for
     * drills and tests: after {@code select pg_notify('grant_changed', '')} committed following a
     * change, this count growing means the change's own notification has been handled, since
     * PostgreSQL delivers notifications in commit order.
     */
    public long notificationsReceived() {
        return received.get();
    }

    @Override
    public synchronized void start() {
        if (!cache.enabled() || running) {
            return;
        }
        if (!(dataSource instanceof HikariDataSource)) {
            log.warn("token cache off: the datasource is not HikariCP, so the listener cannot open its own connection");
            return;
        }
        running = true;
        thread = new Thread(this::listen, "grant-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        // from now on no change would be heard: requests still finishing read PostgreSQL
        cache.suspended();
        Connection listening = connection;
        if (listening != null) {
            try {
                // abort, not close: close would wait for the listening thread's read to time out
                listening.abort(Runnable::run);
            } catch (SQLException ignored) {
                // it is going away either way
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration delay = FIRST_DELAY;
        boolean retryAtOnce = true;
        while (running) {
            if (!retryAtOnce) {
                LockSupport.parkNanos(delay.toNanos());
                delay = min(delay.multipliedBy(2), maxDelay);
                if (!running) {
                    return;
                }
            }
            Connection listening;
            try {
                listening = open();
            } catch (SQLException e) {
                // logged when the state changes, not at every attempt of a long outage
                if (DatabaseOutage.isCauseOf(e)) {
                    if (cache.outage()) {
                        log.warn("token cache: PostgreSQL unreachable ({}); serving cached valid tokens until it is back", e.getSQLState());
                    }
                } else if (cache.lost()) {
                    log.warn("token cache: cannot listen for grant changes ({}); cache emptied and bypassed", e.getSQLState());
                }
                retryAtOnce = false;
                continue;
            }
            if (!running) {
                closeQuietly(listening);
                return;
            }
            delay = FIRST_DELAY;
            connection = listening;
            cache.listening();
            log.info("token cache: listening for grant changes (backend {})", backendPid);
            try {
                receive(listening);
            } catch (SQLException | RuntimeException e) {
                // whatever ended the loop, no change is heard any more: never trust the cache without it
                cache.suspended();
                if (running) {
                    log.warn("token cache: the notification connection was lost ({}); cache bypassed",
                            e instanceof SQLException sql ? sql.getSQLState() : e.getClass().getName());
                }
            } finally {
                backendPid = 0;
                connection = null;
                closeQuietly(listening);
            }
            retryAtOnce = true;
        }
    }

    private Connection open() throws SQLException {
        HikariDataSource pool = (HikariDataSource) dataSource;
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("connectTimeout", "2");
        // the heartbeat query's answer is awaited at most one heartbeat: a silent peer is noticed within two
        properties.setProperty("socketTimeout", String.valueOf(Math.max(1, (heartbeat.toMillis() + 999) / 1000)));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "oauth-broker grant listener");
        Connection opened = DriverManager.getConnection(pool.getJdbcUrl(), properties);
        try (Statement statement = opened.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
            try (ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
                pid.next();
                backendPid = pid.getInt(1);
            }
            return opened;
        } catch (SQLException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    private void receive(Connection listening) throws SQLException {
        PGConnection pg = listening.unwrap(PGConnection.class);
        int timeout = (int) Math.max(1, heartbeat.toMillis());
        while (running) {
            PGNotification[] notifications = pg.getNotifications(timeout);
            if (notifications == null || notifications.length == 0) {
                try (Statement statement = listening.createStatement()) {
                    statement.execute("select 1");
                }
                continue;
            }
            for (PGNotification notification : notifications) {
                cache.notified(notification.getParameter());
                received.incrementAndGet();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
