package dev.oauthbroker.validation;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.TokenSet;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sweep runs on one instance: a second start joins the open run, a batch claimed by an instance
 * that died is claimed again once its claim expires, a failing grant does not stop the run, and a
 * slot's run opens once.
 */
class SweepRunTests extends BrokerIntegrationTest {

    @Autowired
    ProducerTemplate routes;

    @Autowired
    JdbcSweepRuns sweepRuns;

    @BeforeEach
    void noItemsOfEarlierRuns() {
        jdbc.execute("truncate sweep_items");
    }

    @Test
    void aRunStartedWhileAnotherIsOpenJoinsItAndEachGrantIsValidatedOnce() throws Exception {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}").withFixedDelay(100)));
        connectedAcmeGrants(40);

        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(this::manualRun);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> jdbc.queryForObject("select count(*) from sweep_items where claimed_by is not null", Integer.class) > 0);
        Map<String, Object> second = manualRun();

        assertThat(first.get()).containsEntry("checked", 40).containsEntry("reauthRequired", 0).isEqualTo(second);
        providers.verify(exactly(40), getRequestedFor(urlPathEqualTo("/acme/userinfo")));
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from sweep_items where done_at is not null", Integer.class)).isEqualTo(40);
    }

    @Test
    void aBatchClaimedByAnInstanceThatDiedIsClaimedAgainOnceItsClaimExpiresAndTheRunCompletes() {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        connectedAcmeGrants(25);
        // another instance opened the run, claimed a batch of 10 and died: its claim runs another 1.5 s
        long run = jdbc.queryForObject("insert into sweep_runs (slot, instance, started_at) values (now(), 'dead-pod', now()) returning id", Long.class);
        jdbc.update("insert into sweep_items (run_id, grant_id) select ?, id from grants", run);
        jdbc.update("""
                update sweep_items set claimed_by = 'dead-pod', claim_until = now() + interval '1500 milliseconds'
                where grant_id in (select grant_id from sweep_items order by grant_id limit 10)""");
        long started = System.nanoTime();

        Map<String, Object> summary = manualRun();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the dead instance's batch waited for its claim to expire")
                .isGreaterThan(Duration.ofMillis(1000));
        assertThat(summary).containsEntry("run", run).containsEntry("checked", 25).containsEntry("reauthRequired", 0);
        providers.verify(exactly(25), getRequestedFor(urlPathEqualTo("/acme/userinfo")));
        assertThat(jdbc.queryForList("select distinct claimed_by from sweep_items where done_at is not null", String.class))
                .containsExactly(sweepRuns.instance());
        assertThat(jdbc.queryForObject("select finished_at is not null from sweep_runs where id = ?", Boolean.class, run)).isTrue();
    }

    @Test
    void aGrantWhoseValidationFailsCountsAsAnErrorAndTheRunStillEnds() {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        connectedAcmeGrants(3);
        // any failure; here a grant of a provider no longer in the catalogue
        grantStore.connect("u1", "retired", List.of("retired_tool"), new TokenSet("old-SECRET", null, "Bearer", 3600L, List.of()));

        Map<String, Object> summary = manualRun();

        assertThat(summary).containsEntry("checked", 4).containsEntry("valid", 3).containsEntry("errors", 1);
        assertThat(jdbc.queryForObject("select summary from sweep_runs where finished_at is not null", String.class)).contains("errors=1");
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs where finished_at is null", Integer.class)).isZero();
    }

    @Test
    void aScheduledSlotsRunOpensOnceEvenWhenItIsAlreadyOver() {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}")));
        connectedAcmeGrants(2);
        // both firings in one minute, as two instances' schedulers would be (not across a minute's end)
        await().until(() -> LocalTime.now().getSecond() < 55);

        Object firstFiring = routes.requestBody("direct:validate-sweep-run", (Object) null);
        Object secondFiring = routes.requestBody("direct:validate-sweep-run", (Object) null);

        assertThat(firstFiring).asInstanceOf(MAP).containsEntry("checked", 2);
        assertThat(secondFiring).asInstanceOf(MAP).containsEntry("started", false);
        providers.verify(exactly(2), getRequestedFor(urlPathEqualTo("/acme/userinfo")));
    }

    private void connectedAcmeGrants(int count) {
        for (int i = 0; i < count; i++) {
            connected("user-" + i, "acme", List.of("acme_wiki"), "acme-SECRET-" + i, "acme-SECRET-rt-" + i, 3600L);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> manualRun() {
        return routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true)).getMessage().getBody(Map.class);
    }
}
