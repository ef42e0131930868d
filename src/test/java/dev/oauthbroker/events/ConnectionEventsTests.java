package dev.oauthbroker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.LogCapture;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.TokenSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outbox in the shared context: one event per change, none for a change that did not happen, delivered in order as log lines. */
class ConnectionEventsTests extends BrokerIntegrationTest {

    @Test
    void eachChangeIsOneEventDeliveredInOrderAsOneLogLine() {
        Grant grant = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-at-0", "zm-SECRET-rt-0", 3600L);
        grantStore.saveRefreshed(grant, new TokenSet("zm-SECRET-at-1", "zm-SECRET-rt-1", "Bearer", 3600L, List.of()));
        Grant refreshed = grantStore.find(grant.id()).orElseThrow();
        grantStore.recordRefreshFailure(refreshed, "http_503");
        grantStore.markValidated(refreshed);
        grantStore.markValidated(refreshed);
        grantStore.markReauthRequired(refreshed, "invalid_grant");

        awaitDelivered();

        List<Map<String, Object>> rows = jdbc.queryForList(
                "select event, status, detail, attempts from grant_events where grant_id = ? order by id", grant.id());
        assertThat(rows).extracting(row -> row.get("event") + "/" + row.get("status") + "/" + row.get("detail")).containsExactly(
                "connected/active/tools=zoom", "refreshed/active/refresh token rotated", "refresh_failed/active/http_503",
                "validated/active/valid", "reauth_required/reauth_required/invalid_grant");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("attempts")).isEqualTo(1));
        assertThat(jdbc.queryForList("select id from grant_events where grant_id = ? order by delivered_at, id", Long.class, grant.id()))
                .as("delivered in id order").isSorted();
        List<String> lines = LogCapture.serviceLines().stream()
                .filter(line -> line.startsWith("dev.oauthbroker.events connection event") && line.contains("grant=" + grant.id())).toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).contains("connection event connected", "user=u1", "provider=zoom", "status=active", "reason=tools=zoom");
        assertThat(lines.get(4)).contains("connection event reauth_required", "status=reauth_required", "reason=invalid_grant");
    }

    @Test
    void aFencedWriteThatLostItsRaceWritesNoEvent() {
        Grant read = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-at-0", "zm-SECRET-rt-0", 3600L);
        grantStore.saveRefreshed(read, new TokenSet("zm-SECRET-at-1", "zm-SECRET-rt-1", "Bearer", 3600L, List.of()));

        assertThat(grantStore.saveRefreshed(read, new TokenSet("zm-SECRET-at-2", null, "Bearer", 3600L, List.of()))).isFalse();
        assertThat(grantStore.markReauthRequired(read, "invalid_grant")).isFalse();
        grantStore.recordRefreshFailure(read, "http_503");

        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, read.id()))
                .containsExactly("connected", "refreshed");
    }

    @Test
    void aDisconnectRecordsTheGrantAsDisconnected() {
        Grant grant = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-0", "rt-SECRET-0", 3600L);

        grantStore.detach("u1", "jira");
        grantStore.detach("u1", "confluence");

        assertThat(jdbc.queryForList("select event || '/' || status from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected/active", "disconnected/active", "disconnected/disconnected");
    }

    @Test
    void aThousandPendingEventsOfFiveHundredGrantsAreDeliveredEachGrantInOrder() {
        jdbc.update("""
                insert into grants (id, user_id, provider, access_token, connected_at)
                select gen_random_uuid(), 'load-' || i, 'acme', '\\x00'::bytea, now() from generate_series(1, 500) i""");
        long start = System.nanoTime();
        jdbc.update("""
                insert into grant_events (grant_id, user_id, provider, status, event, detail, at)
                select id, user_id, provider, status, e.event, 'load', now() from grants,
                       (values (1, 'connected'), (2, 'refreshed')) as e(n, event) order by e.n""");

        awaitDelivered();

        System.out.printf("outbox drill: 1000 events of 500 grants delivered to the log sink in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(jdbc.queryForObject("""
                select count(*) from grant_events c join grant_events r on r.grant_id = c.grant_id
                where c.event = 'connected' and r.event = 'refreshed' and r.delivered_at < c.delivered_at""", Integer.class))
                .as("grants whose second event was delivered before their first").isZero();
    }

    private void awaitDelivered() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryForObject("select count(*) from grant_events where delivered_at is null", Integer.class) == 0);
    }
}
