package dev.oauthbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.BrokerPropertiesTests;
import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Completions} without Spring, database or HTTP: connect flows in flight kept in memory, a
 * completion window of 5 minutes ({@code broker.state.completion-max-age}) and a fixed clock. Only
 * the signed-in user who started a flow turns its code into a grant; every attempt, good or bad,
 * uses the pending id up. (The HTTP flow around it: CompletionTests.)
 */
class CompletionsTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final BrokerProperties properties = BrokerPropertiesTests.properties(Map.of("broker.state.completion-max-age", "5m"));
    private final InMemoryStates states = new InMemoryStates(clock, properties);
    private final Completions completions = new Completions(states, properties);

    @Test
    void theCallbackKeepsTheCodeForTheUserWhoStartedTheFlowUnderAPendingId() {
        PendingAuthorization started = pending("alice", NOW.minusSeconds(40));

        String pendingId = completions.keep(new CalledBack(started, "code-SECRET"));

        assertThat(pendingId).isEqualTo("pending-1");
        assertThat(states.kept()).containsExactly(new CalledBack(started, "code-SECRET"));
    }

    @Test
    void theUserWhoStartedTheFlowCompletesItOnce() {
        CalledBack calledBack = states.calledBack("p-alice", pending("alice", NOW.minus(Duration.ofMinutes(1))), "code-SECRET");

        assertThat(completions.claim("alice", body("p-alice"))).isEqualTo(calledBack);
        assertRefusal(refusal(() -> completions.claim("alice", body("p-alice"))), BrokerException.Kind.EXPIRED, "expired");
        assertThat(states.consumed()).containsExactly("p-alice", "p-alice");
    }

    @Test
    void anotherUsersAttemptIsRefusedAndEndsTheFlowForEveryone() {
        states.calledBack("p-alice", pending("alice", NOW.minus(Duration.ofMinutes(1))), "code-SECRET");

        BrokerException foreign = refusal(() -> completions.claim("mallory", body("p-alice")));

        assertRefusal(foreign, BrokerException.Kind.FOREIGN, "foreign_flow");
        assertThat(foreign.getMessage()).isEqualTo("This connection was started by a different account, so nothing was connected."
                + " Start connecting again from your own account.");
        assertRefusal(refusal(() -> completions.claim("alice", body("p-alice"))), BrokerException.Kind.EXPIRED, "expired");
    }

    @Test
    void aCodeIsCompletedWithinTheWindowUpToItsLastInstant() {
        CalledBack atTheEdge = states.calledBack("p-edge", pending("alice", NOW.minus(WINDOW)), "code-SECRET-1");
        states.calledBack("p-late", pending("alice", NOW.minus(WINDOW).minusMillis(1)), "code-SECRET-2");

        assertThat(completions.claim("alice", body("p-edge"))).isEqualTo(atTheEdge);

        BrokerException late = refusal(() -> completions.claim("alice", body("p-late")));
        assertRefusal(late, BrokerException.Kind.EXPIRED, "expired");
        assertThat(late.getMessage()).isEqualTo("This connection is unknown, was already completed or took too long. Please start connecting again.");
        // a late attempt uses the id up too
        assertThat(states.pendingIds()).isEmpty();
    }

    @Test
    void anUnknownPendingIdIsExpired() {
        assertRefusal(refusal(() -> completions.claim("alice", body("never-issued"))), BrokerException.Kind.EXPIRED, "expired");
        assertThat(states.consumed()).containsExactly("never-issued");
    }

    @Test
    void aBodyWithoutAUsablePendingIdIsInvalidAndConsumesNothing() {
        states.calledBack("p-alice", pending("alice", NOW), "code-SECRET");
        List<String> malformed = new ArrayList<>(List.of("", "   ", "not json", "[\"p-alice\"]", "{}", "{\"pending\":null}",
                "{\"pending\":42}", "{\"pending\":[\"p-alice\"]}", "{\"pending\":\"  \"}", "{\"pending\":\"" + "a".repeat(201) + "\"}"));
        malformed.add(null);

        assertThat(malformed).allSatisfy(bad -> {
            BrokerException invalid = refusal(() -> completions.claim("alice", bad));
            assertRefusal(invalid, BrokerException.Kind.INVALID, "invalid_request");
            assertThat(invalid.getMessage()).isEqualTo("the body must be JSON {\"pending\": \"<id from the callback>\"}");
        });
        assertThat(states.consumed()).isEmpty();
        assertThat(states.pendingIds()).containsExactly("p-alice");
    }

    @Test
    void aPendingIdOfTwoHundredCharactersIsLookedUp() {
        String longest = "a".repeat(200);

        assertRefusal(refusal(() -> completions.claim("alice", body(longest))), BrokerException.Kind.EXPIRED, "expired");
        assertThat(states.consumed()).containsExactly(longest);
    }

    @Test
    void theAnswerNamesTheToolsConnected() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("success", true);
        expected.put("tools", List.of("jira", "confluence"));

        assertThat(completions.answer(new CalledBack(pending("alice", NOW), "code-SECRET"))).containsExactlyEntriesOf(expected);
    }

    @Test
    void noRefusalCarriesTheCodeOrThePendingId() {
        states.calledBack("p-SECRET-alice", pending("alice", NOW.minus(Duration.ofHours(1))), "code-SECRET");

        assertThat(List.of(refusal(() -> completions.claim("mallory", body("p-SECRET-bob"))),
                refusal(() -> completions.claim("alice", body("p-SECRET-alice"))),
                refusal(() -> completions.claim("alice", "{\"pending\":\"" + "SECRET".repeat(40) + "\"}"))))
                .allSatisfy(refused -> assertThat(refused.getMessage()).doesNotContain("SECRET"));
    }

    private static PendingAuthorization pending(String userId, Instant calledBackAt) {
        return new PendingAuthorization(userId, "atlassian", List.of("jira", "confluence"), "atlassian", null, calledBackAt);
    }

    private static String body(String pendingId) {
        return "{\"pending\":\"" + pendingId + "\"}";
    }

    private static BrokerException refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable step) {
        return catchThrowableOfType(BrokerException.class, step);
    }

    private static void assertRefusal(BrokerException refused, BrokerException.Kind kind, String error) {
        assertThat(refused).isNotNull();
        assertThat(refused.kind()).isEqualTo(kind);
        assertThat(refused.error()).isEqualTo(error);
    }

    /**
     * Called-back flows in memory, as {@link JdbcStateStore} keeps them: a pending id is consumed
     * whole by the first attempt. Its other methods have no database behind them.
     */
    private static final class InMemoryStates extends JdbcStateStore {

        private final Clock clock;
        private final Map<String, CalledBack> pending = new LinkedHashMap<>();
        private final List<CalledBack> kept = new ArrayList<>();
        private final List<String> consumed = new ArrayList<>();

        InMemoryStates(Clock clock, BrokerProperties properties) {
            super(new JdbcTemplate(), new TransactionTemplate(), null, clock, properties);
            this.clock = clock;
        }

        /** A flow whose callback came at {@code request.createdAt()}, under {@code pendingId}. */
        CalledBack calledBack(String pendingId, PendingAuthorization request, String code) {
            CalledBack calledBack = new CalledBack(request, code);
            pending.put(pendingId, calledBack);
            return calledBack;
        }

        List<CalledBack> kept() {
            return List.copyOf(kept);
        }

        List<String> consumed() {
            return List.copyOf(consumed);
        }

        List<String> pendingIds() {
            return List.copyOf(pending.keySet());
        }

        @Override
        public String keepForCompletion(PendingAuthorization request, String code) {
            kept.add(new CalledBack(request, code));
            String pendingId = "pending-" + kept.size();
            pending.put(pendingId, new CalledBack(request, code));
            return pendingId;
        }

        @Override
        public Optional<CalledBack> consumePending(String pendingId) {
            consumed.add(pendingId);
            return Optional.ofNullable(pending.remove(pendingId));
        }

        @Override
        public Instant now() {
            return clock.instant();
        }
    }
}
