package dev.oauthbroker.validation;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.TokenSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Sweep runs never overlap; a crashed run's lease expires; a failed run says so and frees the lease. */
class SweepLeaseTests extends BrokerIntegrationTest {

    @Autowired
    ProducerTemplate routes;

    @Test
    void aRunDoesNotStartWhileAnotherIsInProgressAndTheNextStartsWhenItEnds() throws Exception {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}").withFixedDelay(1000)));
        for (int i = 0; i < 3; i++) {
            connected("user-" + i, "acme", List.of("acme_wiki"), "acme-SECRET-" + i, "acme-SECRET-rt-" + i, 3600L);
        }

        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(this::manualRun);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> jdbc.queryForObject("select count(*) from sweep_runs where finished_at is null", Integer.class) == 1);
        Map<String, Object> second = manualRun();
        Map<String, Object> firstSummary = first.get();

        assertThat(second).containsEntry("started", false);
        assertThat(firstSummary).containsEntry("checked", 3);
        assertThat(providers.findAll(getRequestedFor(urlPathEqualTo("/acme/userinfo")))).hasSize(3);
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs", Integer.class)).isEqualTo(1);
        assertThat(manualRun()).as("the lease is free again").containsEntry("checked", 3);
    }

    @Test
    void aCrashedRunBlocksOnlyUntilItsLeaseExpiresAndIsThenClosedAsAbandoned() {
        Instant crashedAt = Instant.now().minus(Duration.ofMinutes(10));
        jdbc.update("insert into sweep_runs (slot, instance, started_at, lease_until) values (?, 'crashed-pod', ?, ?)",
                Timestamp.from(crashedAt), Timestamp.from(crashedAt), Timestamp.from(Instant.now().plus(Duration.ofMinutes(1))));

        assertThat(manualRun()).as("its lease still runs").containsEntry("started", false);

        jdbc.update("update sweep_runs set lease_until = now() - interval '1 second' where instance = 'crashed-pod'");
        assertThat(manualRun()).containsEntry("checked", 0);
        assertThat(jdbc.queryForObject("select summary from sweep_runs where instance = 'crashed-pod' and finished_at is not null", String.class))
                .startsWith("abandoned: its lease expired");
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs where finished_at is null", Integer.class)).isZero();
    }

    @Test
    void aFailingRunRecordsItsFailureAndFreesTheLease() {
        // any failure; here a grant of a provider no longer in the catalogue
        grantStore.connect("u1", "retired", List.of("retired_tool"), new TokenSet("old-SECRET", null, "Bearer", 3600L, List.of()));

        Exchange failed = routes.send("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true));

        assertThat(failed.getException()).isNotNull();
        assertThat(jdbc.queryForMap("select finished_at, summary from sweep_runs"))
                .hasEntrySatisfying("finished_at", finished -> assertThat(finished).isNotNull())
                .containsEntry("summary", "failed: " + failed.getException().getClass().getName());
        jdbc.update("update grants set status = 'disconnected', deleted_at = now()");
        assertThat(manualRun()).containsEntry("checked", 0);
    }

    @Test
    void aHeartbeatKeepsALongRunsLeaseAliveSoNoOtherRunTakesOver() {
        Duration lease = Duration.ofMillis(300);
        SweepLeases podA = new SweepLeases(jdbc, Clock.systemUTC(), lease);
        SweepLeases podB = new SweepLeases(jdbc, Clock.systemUTC(), lease);
        try {
            Instant started = Instant.now();
            SweepLeases.Lease run = podA.claim(started).orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select lease_until from sweep_runs", Timestamp.class)
                    .toInstant().isAfter(started.plus(lease.multipliedBy(3))));

            assertThat(podB.claim(Instant.now())).as("renewed past its first expiry, so still held").isEqualTo(Optional.empty());
            podA.end(run, "done");
            assertThat(podB.claim(Instant.now())).isPresent();
        } finally {
            podA.destroy();
            podB.destroy();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> manualRun() {
        return routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true)).getMessage().getBody(Map.class);
    }
}
