package dev.oauthbroker.client;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The last fetch of each user's tool by each client ({@code client_fetches}), for
 * {@code oauth-cli inspect}. A handout never writes to the database itself: fetches are kept in
 * memory (the latest per client, user and tool) and written once a second by one background
 * thread, so the token path needs no connection and a database outage loses at most the
 * fetches of that outage (logged once per failed write).
 */
@Component
public class JdbcClientFetches implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JdbcClientFetches.class);
    private static final String UPSERT = """
            insert into client_fetches (client_id, user_id, tool, outcome, at) values (?, ?, ?, ?, ?)
            on conflict (client_id, user_id, tool) do update set outcome = excluded.outcome, at = excluded.at
            where client_fetches.at <= excluded.at""";
    private static final String OF_TOOL = """
            select client_id, outcome, at from client_fetches where user_id = ? and tool = ? order by at desc""";

    private final JdbcTemplate jdbc;
    /** A slot that stood empty through a whole write and left the map: a record finding it takes a new one. */
    private static final Fetch RETIRED = new Fetch("retired", Instant.MIN);

    /** Per client, user and tool: the fetch not yet written, or null once written (RETIRED after a write with none). */
    private final Map<Key, AtomicReference<Fetch>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "client-fetches");
        thread.setDaemon(true);
        return thread;
    });

    public JdbcClientFetches(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        writer.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Remembers a fetch; written with the next batch. Lock-free: many requests of one hot user's
     * tool (one key) compare-and-set one slot instead of queueing on a map bin's lock.
     */
    void record(String client, String user, String tool, String outcome, Instant at) {
        Key key = new Key(client, user, tool);
        Fetch fresh = new Fetch(outcome, at);
        while (true) {
            AtomicReference<Fetch> slot = pending.computeIfAbsent(key, k -> new AtomicReference<>());
            Fetch held = slot.get();
            if (held == RETIRED) {
                pending.remove(key, slot);
            } else if (held != null && held.at().isAfter(at) || slot.compareAndSet(held, fresh)) {
                return;
            }
        }
    }

    /** Writes what is pending, one batch; what fails is dropped (it only says who fetched last). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        pending.forEach((key, slot) -> {
            Fetch fetch = slot.get();
            if (fetch == null) {
                // idle since the last write: the slot leaves (a record racing with this takes a new one)
                if (slot.compareAndSet(null, RETIRED)) {
                    pending.remove(key, slot);
                }
            } else if (fetch != RETIRED && slot.compareAndSet(fetch, null)) {
                rows.add(new Object[] {key.client(), key.user(), key.tool(), fetch.outcome(), Timestamp.from(fetch.at())});
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        try {
            jdbc.batchUpdate(UPSERT, rows);
        } catch (DataAccessException e) {
            log.warn("last fetches of backend clients not recorded ({} rows): {}", rows.size(), e.getMostSpecificCause().getMessage());
        }
    }

    /** The last fetch of a user's tool by each client, newest first. */
    public List<LastFetch> ofTool(String userId, String tool) {
        return jdbc.query(OF_TOOL, (rs, i) -> new LastFetch(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()), userId, tool);
    }

    @Override
    public void destroy() {
        writer.shutdown();
        flush();
    }

    /** A client's last fetch: its outcome ({@code ok}, {@code not_connected}, …) and when. */
    public record LastFetch(String client, String outcome, Instant at) {
    }

    private record Key(String client, String user, String tool) {
    }

    private record Fetch(String outcome, Instant at) {
    }
}
