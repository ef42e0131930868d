package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.BrokerInstance;
import dev.oauthbroker.BrokerInstances;
import dev.oauthbroker.TestProviders;
import dev.oauthbroker.grant.Grant;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two broker instances on one PostgreSQL: the shared test context (A) and a second instance (B)
 * on the same database, as a second pod would be (the one {@link BrokerInstances} shares with the
 * other classes asking for it).
 */
@Tag("extra-contexts")
class TwoInstancesTests extends BrokerIntegrationTest {

    private BrokerInstance instanceB;

    @Autowired
    DataSource dataSource;

    @Autowired
    ProducerTemplate routesA;

    @BeforeEach
    void secondInstance() {
        instanceB = BrokerInstances.onSharedDatabase(dataSource).shared();
    }

    @Test
    void fiftyConcurrentRequestsOverBothInstancesMakeOneProviderCall() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(300)));
        connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-old", -10L);
        int portB = instanceB.port();

        List<String> tokens = TokenLifecycleTests.concurrently(50, i -> {
            int target = i % 2 == 0 ? port : portB;
            var response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + target + "/internal/users/u1/tokens/" + (i % 3 == 0 ? "confluence" : "jira")))
                    .header("X-Broker-Key", SERVICE_KEY).GET().build());
            assertThat(response.statusCode()).as("port " + target + ": " + response.body()).isEqualTo(200);
            return json(response).get("accessToken").asText();
        });

        assertThat(tokens).hasSize(50).containsOnly("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
    }

    @Test
    void aHundredConcurrentReportsOfOneRejectedTokenOverBothInstancesMakeOneProviderCall() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(300)));
        Grant grant = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-rejected", "rt-SECRET-old", 3600L);
        jdbc.update("update grants set connected_at = now() - interval '1 hour' where id = ?", grant.id());
        int portB = instanceB.port();

        List<String> tokens = TokenLifecycleTests.concurrently(100, i -> {
            int target = i % 2 == 0 ? port : portB;
            var response = TokenRejectionTests.reportRejected(target, "u1", i % 3 == 0 ? "confluence" : "jira", "at-SECRET-rejected");
            assertThat(response.statusCode()).as("port " + target + ": " + response.body()).isEqualTo(200);
            return json(response).get("accessToken").asText();
        });

        assertThat(tokens).hasSize(100).containsOnly("eyJ-SECRET-atlassian-access");
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(jdbc.queryForList("select event from grant_events where grant_id = ? order by id", String.class, grant.id()))
                .containsExactly("connected", "token_rejected", "refreshed");
    }

    @Test
    void aRotatingProviderNeverSeesARefreshTokenTwiceAcrossInstancesAndNoGrantIsLost() throws Exception {
        TestProviders.ROTATING.reset("rt-SECRET-initial");
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(aResponse().withTransformers("rotating-refresh-tokens").withFixedDelay(50)));
        Grant grant = connected("u1", "atlassian", List.of("jira", "confluence"), "at-SECRET-old", "rt-SECRET-initial", -10L);
        int portB = instanceB.port();

        for (int round = 0; round < 4; round++) {
            expiresIn(grant, -10);
            boolean force = round % 2 == 1;
            List<Integer> statuses = TokenLifecycleTests.concurrently(16, i -> {
                int target = i % 2 == 0 ? port : portB;
                return send(HttpRequest.newBuilder(URI.create("http://localhost:" + target + "/internal/users/u1/tokens/"
                                + (i % 4 < 2 ? "jira" : "confluence") + (force && i == 0 ? "?forceRefresh=true" : "")))
                        .header("X-Broker-Key", SERVICE_KEY).GET().build()).statusCode();
            });
            assertThat(statuses).containsOnly(200);
        }

        assertThat(TestProviders.ROTATING.reuses()).as("refresh tokens sent twice").isZero();
        Grant stored = grantStore.find(grant.id()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("active");
        assertThat(stored.refreshToken()).isEqualTo("rt-SECRET-rotated-" + TestProviders.ROTATING.issued());
    }

    @Test
    void aSweepStartedOnBothInstancesAtOnceRunsOnce() throws Exception {
        providers.stubFor(get(urlPathEqualTo("/acme/userinfo")).willReturn(okJson("{\"sub\":\"x\"}").withFixedDelay(20)));
        for (int i = 0; i < 10; i++) {
            connected("user-" + i, "acme", List.of("acme_wiki"), "acme-SECRET-" + i, "acme-SECRET-rt-" + i, 3600L);
        }
        ProducerTemplate routesB = instanceB.bean(ProducerTemplate.class);
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Object> onA = CompletableFuture.supplyAsync(() -> scheduledSweep(routesA, start));
        CompletableFuture<Object> onB = CompletableFuture.supplyAsync(() -> scheduledSweep(routesB, start));
        start.countDown();
        onA.get();
        onB.get();

        assertThat(jdbc.queryForObject("select count(*) from sweep_runs", Integer.class)).isEqualTo(1);
        providers.verify(exactly(10), getRequestedFor(urlPathEqualTo("/acme/userinfo")));
    }

    private static Object scheduledSweep(ProducerTemplate template, CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return template.requestBody("direct:validate-sweep-run", (Object) "scheduled");
    }
}
