package dev.oauthbroker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.postgres.StoreDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The connection events outbox on PostgreSQL, without Spring: what a claim takes and marks, delivery, backoff, the trail. */
class JdbcEventOutboxTests {

    private static final DataSource data = StoreDatabase.create();
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00.123456Z");

    private final JdbcTemplate jdbc = StoreDatabase.jdbc(data);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final JdbcGrantStore grants = StoreDatabase.grantStore(data, StoreDatabase.cipher("outbox-test-key-0123456789abcdef-012"), clock);
    private final JdbcEventOutbox outbox = new JdbcEventOutbox(jdbc, clock, StoreDatabase.properties(Map.of(
            "broker.events.batch", "3", "broker.events.lease", "10m", "broker.events.retry-delay", "5s",
            "broker.events.retry-max-delay", "1m")).events());

    @BeforeEach
    void empty() {
        jdbc.execute("truncate grant_events, grant_tools, grants");
    }

    @Test
    void aClaimLeasesEachGrantsOldestUndeliveredEventCountsTheAttemptAndAnswersItAsTheSinksBody() {
        Grant grant = connect("u1");
        grants.markReauthRequired(grant, "invalid_grant");
        long connected = eventId(grant, "connected");

        List<Map<String, Object>> claimed = outbox.claim();

        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0)).containsExactly(Map.entry("id", connected), Map.entry("event", "connected"),
                Map.entry("grantId", grant.id()), Map.entry("userId", "u1"), Map.entry("provider", "github"),
                Map.entry("status", "active"), Map.entry("reason", "tools=github"),
                Map.entry("occurredAt", "2026-12-03T12:00:00.123456Z"), Map.entry("attempts", 1));
        assertThat(jdbc.queryForObject("select lease_until > now() + interval '9 minutes' and attempts = 1 from grant_events where id = ?",
                Boolean.class, connected)).as("leased for broker.events.lease, one attempt").isTrue();
        assertThat(outbox.claim()).as("leased, and the grant's later event waits for it").isEmpty();
    }

    @Test
    void aDeliveredEventIsDoneAndTheGrantsNextEventIsClaimedAfterIt() {
        Grant grant = connect("u1");
        grants.markReauthRequired(grant, "invalid_grant");
        long connected = eventId(grant, "connected");

        outbox.delivered((Long) outbox.claim().get(0).get("id"));

        assertThat(jdbc.queryForObject("select delivered_at is not null and lease_until is null from grant_events where id = ?",
                Boolean.class, connected)).isTrue();
        assertThat(outbox.claim()).extracting(event -> event.get("event")).containsExactly("reauth_required");
    }

    @Test
    void aFailedDeliveryIsRetriedAfterTheDelayDoublingPerAttemptUpToTheMaximumAndKeepsOnlyTheFailuresClass() {
        Grant grant = connect("u1");
        long id = eventId(grant, "connected");

        outbox.claim();
        outbox.retryLater(id, new IllegalStateException("a message that may hold anything"));
        Map<String, Object> first = jdbc.queryForMap("""
                select last_failure, lease_until, extract(epoch from next_attempt_at - now()) as wait from grant_events where id = ?""", id);
        assertThat(first.get("last_failure")).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.get("lease_until")).isNull();
        assertThat(((Number) first.get("wait")).doubleValue()).as("retry-delay after the first attempt").isBetween(4.0, 5.0);
        assertThat(outbox.claim()).as("not due yet").isEmpty();

        jdbc.update("update grant_events set attempts = 3 where id = ?", id);
        outbox.retryLater(id, new IllegalStateException());
        assertThat(secondsToNextAttempt(id)).as("doubled per attempt: 5 s × 2²").isBetween(19.0, 20.0);
        jdbc.update("update grant_events set attempts = 40 where id = ?", id);
        outbox.retryLater(id, new IllegalStateException());
        assertThat(secondsToNextAttempt(id)).as("retry-max-delay").isBetween(59.0, 60.0);

        jdbc.update("update grant_events set next_attempt_at = now() - interval '1 second' where id = ?", id);
        assertThat(outbox.claim()).extracting(event -> event.get("attempts")).containsExactly(41);
    }

    @Test
    void aClaimTakesAtMostOneBatchAndTwoClaimersNeverGetTheSameEvent() throws Exception {
        for (int i = 0; i < 20; i++) {
            connect("user-" + i);
        }
        assertThat(outbox.claim()).as("broker.events.batch").hasSize(3);
        jdbc.update("update grant_events set lease_until = null, attempts = 0");

        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService claimers = Executors.newFixedThreadPool(2);
        try {
            Future<List<Object>> a = claimers.submit(() -> claimAll(together));
            Future<List<Object>> b = claimers.submit(() -> claimAll(together));
            List<Object> byA = a.get();
            List<Object> byB = b.get();
            Set<Object> both = new HashSet<>(byA);
            both.retainAll(byB);
            assertThat(both).as("events claimed twice").isEmpty();
            assertThat(byA.size() + byB.size()).isEqualTo(20);
        } finally {
            claimers.shutdownNow();
        }
        assertThat(jdbc.queryForObject("select count(*) from grant_events where attempts = 1 and lease_until is not null", Integer.class)).isEqualTo(20);
    }

    @Test
    void anExpiredLeaseIsClaimedAgain() {
        Grant grant = connect("u1");
        long id = eventId(grant, "connected");
        outbox.claim();

        jdbc.update("update grant_events set lease_until = now() - interval '1 second' where id = ?", id);

        assertThat(outbox.claim()).extracting(event -> event.get("attempts")).containsExactly(2);
    }

    @Test
    void anAppendedEventCarriesTheGrantsProviderAndStatusAndTheTrailReadsNewestFirst() {
        Grant grant = connect("u1");
        outbox.append(grant.id(), "u1", "revoked", "revocation revoked");
        outbox.append(grant.id(), "u1", "token_rejected", "first");
        outbox.append(grant.id(), "u1", "token_rejected", "second");

        assertThat(jdbc.queryForMap("select provider, status, at from grant_events where event = 'revoked'"))
                .containsEntry("provider", "github").containsEntry("status", "active");
        assertThat(outbox.recent(grant.id(), 3)).extracting(GrantEvent::detail).containsExactly("second", "first", "revocation revoked");
        assertThat(outbox.recent(grant.id(), 10)).hasSize(4).allSatisfy(event -> assertThat(event.at()).isEqualTo(NOW));
        assertThat(outbox.last(grant.id(), "token_rejected")).map(GrantEvent::detail).hasValue("second");
        assertThat(outbox.last(grant.id(), "scopes_changed")).isEmpty();
    }

    @Test
    void aChangeWithItsEventWritesNoEventWhenItChangesNothing() {
        Grant grant = connect("u1");
        String touch = JdbcEventOutbox.withEvent("update grants set last_error = ? where id = ? and token_version = ?", "refresh_failed");

        assertThat(jdbc.update(touch, "http_503", grant.id(), grant.tokenVersion() + 1, "stale", Timestamp.from(NOW))).isZero();
        assertThat(jdbc.update(touch, "http_503", grant.id(), grant.tokenVersion(), "current", Timestamp.from(NOW))).isEqualTo(1);

        assertThat(outbox.recent(grant.id(), 10)).extracting(GrantEvent::event, GrantEvent::detail)
                .containsExactly(tuple("refresh_failed", "current"), tuple("connected", "tools=github"));
    }

    private List<Object> claimAll(CyclicBarrier together) throws Exception {
        together.await();
        List<Object> claimed = new ArrayList<>();
        for (List<Map<String, Object>> batch = outbox.claim(); !batch.isEmpty(); batch = outbox.claim()) {
            batch.forEach(event -> claimed.add(event.get("id")));
        }
        return claimed;
    }

    private double secondsToNextAttempt(long id) {
        return jdbc.queryForObject("select extract(epoch from next_attempt_at - now()) from grant_events where id = ?", Double.class, id);
    }

    private long eventId(Grant grant, String event) {
        return jdbc.queryForObject("select id from grant_events where grant_id = ? and event = ?", Long.class, grant.id(), event);
    }

    private Grant connect(String user) {
        return grants.connect(user, "github", List.of("github"), new TokenSet("gho_SECRET-" + user, null, "Bearer", 3600L, List.of("repo"))).grant();
    }
}
