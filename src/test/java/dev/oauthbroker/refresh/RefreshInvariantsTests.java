package dev.oauthbroker.refresh;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerIntegrationTest;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.TokenSet;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The two invariants every other guarantee rests on, each tested on its own so that removing it
 * fails a test even while the other still hides the damage: the fenced token write, and the
 * in-process sharing of one refresh.
 */
class RefreshInvariantsTests extends BrokerIntegrationTest {

    @Autowired
    RefreshCoalescer coalescer;

    @Test
    void aSecondWriteFromTheSameStaleVersionChangesNothing() {
        Grant read = connected("u1", "zoom", List.of("zoom"), "zm-SECRET-at-0", "zm-SECRET-rt-0", 3600L);

        boolean first = grantStore.saveRefreshed(read, new TokenSet("zm-SECRET-at-1", "zm-SECRET-rt-1", "Bearer", 3600L, List.of()));
        boolean second = grantStore.saveRefreshed(read, new TokenSet("zm-SECRET-at-2", "zm-SECRET-rt-2", "Bearer", 3600L, List.of()));

        assertThat(first).isTrue();
        assertThat(second).as("a writer that read version %d after it moved on", read.tokenVersion()).isFalse();
        Grant stored = grantStore.find(read.id()).orElseThrow();
        assertThat(stored.refreshToken()).isEqualTo("zm-SECRET-rt-1");
        assertThat(stored.accessToken()).isEqualTo("zm-SECRET-at-1");
        assertThat(stored.tokenVersion()).isEqualTo(read.tokenVersion() + 1);
        assertThat(jdbc.queryForObject("select count(*) from grant_events where grant_id = ? and event = 'refreshed'", Integer.class, read.id()))
                .isEqualTo(1);
    }

    @Test
    void concurrentCallersOfOneGrantInOneInstanceShareOneRefresh() throws Exception {
        providers.stubFor(post(urlPathEqualTo("/atlassian/token")).willReturn(canned(200, "atlassian/token-ok.json").withFixedDelay(400)));
        connected("u1", "atlassian", List.of("jira"), "at-SECRET-old", "rt-SECRET-old", -10L);
        long startedBefore = coalescer.refreshesStarted();
        long coalescedBefore = coalescer.callersCoalesced();

        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Integer> statuses;
        try {
            List<Callable<Integer>> calls = IntStream.range(0, 12)
                    .mapToObj(i -> (Callable<Integer>) () -> internalToken("u1", "jira", false).statusCode()).toList();
            statuses = pool.invokeAll(calls).stream().map(RefreshInvariantsTests::get).toList();
        } finally {
            pool.shutdownNow();
        }

        long started = coalescer.refreshesStarted() - startedBefore;
        long coalesced = coalescer.callersCoalesced() - coalescedBefore;
        System.out.printf("12 concurrent callers of one due grant: %d refresh started, %d callers coalesced, statuses %s%n",
                started, coalesced, statuses);
        assertThat(statuses).containsOnly(200);
        providers.verify(exactly(1), postRequestedFor(urlPathEqualTo("/atlassian/token")));
        assertThat(started).as("callers arriving while the refresh runs join it instead of leading").isEqualTo(1);
        assertThat(coalesced).as("(a caller arriving after it ended finds a fresh token and needs none)").isGreaterThanOrEqualTo(6);
    }

    private static Integer get(Future<Integer> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
