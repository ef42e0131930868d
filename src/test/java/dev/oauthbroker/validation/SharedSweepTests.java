package dev.oauthbroker.validation;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.BrokerIntegrationTest;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two instances on one PostgreSQL work one sweep run: the shared test context (A) opens it, a second
 * instance (B) with the sweep on learns of it from its join schedule and claims batches
 * of the same run; each grant is validated once.
 */
@Tag("extra-contexts")
class SharedSweepTests extends BrokerIntegrationTest {

    private static final int GRANTS = 150;
    private static BrokerInstance instanceB;

    @Autowired
    DataSource dataSource;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    JdbcSweepRuns sweepRuns;

    @BeforeEach
    void startSecondInstance() {
        jdbc.execute("truncate sweep_items");
        if (instanceB == null) {
            // its own, closed after the class: its scheduled sweeps must not run during other classes
            instanceB = BrokerInstances.onSharedDatabase(dataSource).with("broker.sweep.enabled", "true").start();
        }
    }

    @AfterAll
    static void stopSecondInstance() {
        if (instanceB != null) {
            instanceB.close();
            instanceB = null;
        }
    }

    @Test
    void aRunOpenedOnOneInstanceIsJoinedByTheOtherAndEachGrantIsValidatedOnce() {
        // each answer takes 200 ms: the run (15 batches of 10, about 3 s alone) outlasts many of the other instance's
        // 100 ms polls, so it joins even on a loaded machine (at 100 ms a run of 1.2 s once ended before it had joined)
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}").withFixedDelay(200)));
        for (int i = 0; i < GRANTS; i++) {
            connected("user-" + i, "acme", List.of("acme_wiki"), "acme-SECRET-" + i, "acme-SECRET-rt-" + i, 3600L);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> summary = routes.request("direct:validate-sweep-run", exchange -> exchange.setProperty("manual", true))
                .getMessage().getBody(Map.class);

        // valid or, on a starved machine, a timed-out identity call (error): checked once either way
        assertThat(summary).containsEntry("checked", GRANTS).containsEntry("reauthRequired", 0).containsEntry("instances", 2);
        providers.verify(exactly(GRANTS), getRequestedFor(urlPathEqualTo("/acme/userinfo")));
        assertThat(jdbc.queryForList("select distinct claimed_by from sweep_items where run_id = ?", String.class, summary.get("run")))
                .containsExactlyInAnyOrder(sweepRuns.instance(), instanceB.bean(JdbcSweepRuns.class).instance());
        assertThat(jdbc.queryForObject("select count(*) from sweep_items where run_id = ? and done_at is not null", Integer.class, summary.get("run")))
                .isEqualTo(GRANTS);
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs where finished_at is null", Integer.class)).isZero();
    }
}
