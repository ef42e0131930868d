package dev.oauthbroker.events;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.BrokerProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The connection events outbox, {@code grant_events}: each event is written by the statement (or
 * the transaction) of the change it records — {@link #withEvent} for a statement, {@link #append}
 * inside a transaction — so a change that did not happen has no event; the {@code events} route
 * delivers them: {@link #claim} a batch, then {@link #delivered} or {@link #retryLater} each. Also
 * a grant's audit trail as read back ({@link #recent}, {@link #last}).
 *
 * <p>A claim is a lease, not a held transaction: another instance skips claimed events until the
 * lease ({@code broker.events.lease}) ends, so a crashed instance's events are delivered by another.
 * A grant's events go out in order: its next one waits until the earlier ones are delivered.
 */
@Component("eventOutbox")
public class JdbcEventOutbox {

    private static final String APPEND = """
            insert into grant_events (grant_id, user_id, provider, status, event, detail, at)
            select id, ?, provider, status, ?, ?, ? from grants where id = ?""";
    private static final String RECENT = """
            select event, detail, at from grant_events where grant_id = ? order by at desc, id desc limit ?""";
    private static final String LAST = """
            select event, detail, at from grant_events where grant_id = ? and event = ? order by at desc, id desc limit 1""";
    /** Each grant's oldest undelivered event that is due and not leased, oldest first, leased and counted as an attempt. */
    private static final String CLAIM = """
            with claimed as (
              update grant_events e set lease_until = now() + make_interval(secs => ?), attempts = e.attempts + 1
              where e.id in (
                select h.id from grant_events h
                where h.delivered_at is null
                  and (h.next_attempt_at is null or h.next_attempt_at <= now())
                  and (h.lease_until is null or h.lease_until < now())
                  and not exists (select 1 from grant_events p
                                  where p.grant_id = h.grant_id and p.delivered_at is null and p.id < h.id)
                order by h.id limit ?
                for update skip locked)
              returning e.id, e.event, e.grant_id, e.user_id, e.provider, e.status, e.detail, e.at, e.attempts)
            select id, event, grant_id, user_id, provider, status, detail,
                   to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at, attempts
            from claimed order by id""";
    private static final String DELIVERED = """
            update grant_events set delivered_at = now(), lease_until = null, last_failure = null where id = ?""";
    /** The next attempt after retry-delay, doubling per attempt up to retry-max-delay. */
    private static final String RETRY_LATER = """
            update grant_events set lease_until = null, last_failure = ?,
                   next_attempt_at = now() + least(make_interval(secs => ?), make_interval(secs => ?) * power(2, least(attempts - 1, 30)))
            where id = ?""";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final BrokerProperties.Events settings;

    @Autowired
    public JdbcEventOutbox(JdbcTemplate jdbc, Clock clock, BrokerProperties broker) {
        this(jdbc, clock, broker.events());
    }

    /** {@code settings}: the claim's batch and lease, and the backoff of a failing sink ({@code broker.events.*}). */
    public JdbcEventOutbox(JdbcTemplate jdbc, Clock clock, BrokerProperties.Events settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * {@code change}, an update of one grant, and its event in the same statement: no change, no
     * event. The statement's parameters are the change's, then the event's detail and time.
     */
    public static String withEvent(String change, String event) {
        return "with changed as (" + change + "\n returning id, user_id, provider, status)\n"
                + "insert into grant_events (grant_id, user_id, provider, status, event, detail, at)\n"
                + "select id, user_id, provider, status, '" + event + "', ?, ? from changed";
    }

    /**
     * Writes an event of the grant as it is now (provider, status); a caller recording a change
     * runs it in the transaction of that change.
     */
    public void append(UUID grantId, String userId, String event, String detail) {
        jdbc.update(APPEND, userId, event, detail, Timestamp.from(clock.instant()), grantId);
    }

    /** The latest events of a grant, newest first. */
    public List<GrantEvent> recent(UUID grantId, int limit) {
        return jdbc.query(RECENT, JdbcEventOutbox::event, grantId, limit);
    }

    /** The latest event of a grant named {@code event}, if any. */
    public Optional<GrantEvent> last(UUID grantId, String event) {
        return jdbc.query(LAST, JdbcEventOutbox::event, grantId, event).stream().findFirst();
    }

    /**
     * Step {@code events-claim}: leases up to {@code broker.events.batch} events to deliver, the
     * oldest undelivered one of each grant, in id order; each as the sink's body: id, event,
     * grantId, userId, provider, status, reason, occurredAt (UTC, ISO-8601), attempts.
     */
    public List<Map<String, Object>> claim() {
        return jdbc.query(CLAIM, JdbcEventOutbox::delivery, seconds(settings.lease()), settings.batch());
    }

    /** Step {@code events-delivered}: the sink took the event. */
    public void delivered(@ExchangeProperty(ExchangeProperties.EVENT_ID) long eventId) {
        jdbc.update(DELIVERED, eventId);
    }

    /**
     * Step {@code events-retry-later}: the sink failed; the event is tried again after
     * {@code broker.events.retry-delay}, doubling per attempt up to {@code retry-max-delay}. Only
     * the failure's class is stored, never its message.
     */
    public void retryLater(@ExchangeProperty(ExchangeProperties.EVENT_ID) long eventId, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        jdbc.update(RETRY_LATER, failure == null ? null : failure.getClass().getName(),
                seconds(settings.retryMaxDelay()), seconds(settings.retryDelay()), eventId);
    }

    private static GrantEvent event(ResultSet rs, int row) throws SQLException {
        return new GrantEvent(rs.getString("event"), rs.getString("detail"), rs.getTimestamp("at").toInstant());
    }

    private static Map<String, Object> delivery(ResultSet rs, int row) throws SQLException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", rs.getLong("id"));
        event.put("event", rs.getString("event"));
        event.put("grantId", rs.getObject("grant_id", UUID.class));
        event.put("userId", rs.getString("user_id"));
        event.put("provider", rs.getString("provider"));
        event.put("status", rs.getString("status"));
        event.put("reason", rs.getString("detail"));
        event.put("occurredAt", rs.getString("occurred_at"));
        event.put("attempts", rs.getInt("attempts"));
        return event;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
