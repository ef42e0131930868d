package dev.oauthbroker.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The embedded PostgreSQL server of a data directory: one this process started (and stops on
 * close), or — for the CLI — the one another process (the running service) already serves from
 * that directory, found through PostgreSQL's own {@code postmaster.pid}.
 */
public final class EmbeddedDatabase implements Closeable {

    private static final int CONNECT_TIMEOUT_SECONDS = 2;
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final int port;
    private final EmbeddedPostgres owned;

    private EmbeddedDatabase(int port, EmbeddedPostgres owned) {
        this.port = port;
        this.owned = owned;
    }

    static EmbeddedDatabase started(EmbeddedPostgres postgres) {
        return new EmbeddedDatabase(postgres.getPort(), postgres);
    }

    static EmbeddedDatabase attached(int port) {
        return new EmbeddedDatabase(port, null);
    }

    /**
     * The server's URL, with the driver's timeouts: a server that does not accept a connection
     * within {@value #CONNECT_TIMEOUT_SECONDS} s is down (the caller gets its 503 in time); a
     * statement whose server vanished without closing the socket fails after
     * {@value #SOCKET_TIMEOUT_SECONDS} s instead of hanging — longer than any statement we run
     * (no statement waits for a lock: refreshes hold a lease, claimed in one statement).
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=" + CONNECT_TIMEOUT_SECONDS
                + "&socketTimeout=" + SOCKET_TIMEOUT_SECONDS + "&tcpKeepAlive=true";
    }

    /**
     * The port of a live server on {@code dataDir}: {@code postmaster.pid} holds the postmaster's
     * pid on its first line and its port on the fourth.
     */
    static OptionalInt runningPort(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isReadable(pidFile)) {
                return OptionalInt.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return OptionalInt.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? OptionalInt.of(Integer.parseInt(lines.get(3).trim())) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }
}
