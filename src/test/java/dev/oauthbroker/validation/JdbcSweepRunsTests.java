package dev.oauthbroker.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.postgres.StoreDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The sweep's run store on PostgreSQL, without Spring: open, claim, done, close — counted in rows. */
class JdbcSweepRunsTests {

    private static final DataSource data = StoreDatabase.create();
    private static final OffsetDateTime SLOT = OffsetDateTime.parse("2026-12-03T12:00:00Z");

    private final JdbcTemplate jdbc = StoreDatabase.jdbc(data);
    private final JdbcGrantStore grants = StoreDatabase.grantStore(data, StoreDatabase.cipher("sweep-test-key-0123456789abcdef-0123"), Clock.systemUTC());
    private final JdbcSweepRuns here = new JdbcSweepRuns(jdbc, Duration.ofMinutes(5), 3, "here");
    private final JdbcSweepRuns there = new JdbcSweepRuns(jdbc, Duration.ofMinutes(5), 3, "there");

    @BeforeEach
    void empty() {
        jdbc.execute("truncate grant_events, grant_tools, grants, sweep_items, sweep_runs");
    }

    @Test
    void aRunListsEveryActiveGrantOnceAndNoSecondRunOpensWhileItIsUnfinishedOrForTheSameSlot() {
        List<UUID> active = connect(4);
        Grant dead = connect(1).stream().map(id -> grants.find(id).orElseThrow()).findFirst().orElseThrow();
        grants.markReauthRequired(dead, "invalid_grant");
        grants.detach("user-0", "github");

        assertThat(here.activeGrantCount()).isEqualTo(3);
        assertThat(here.open(SLOT)).as("grants listed").isEqualTo(3);
        Long run = here.openRun();
        assertThat(run).isNotNull();
        assertThat(jdbc.queryForList("select grant_id from sweep_items where run_id = ?", UUID.class, run))
                .containsExactlyInAnyOrderElementsOf(active.subList(1, 4));
        assertThat(jdbc.queryForObject("select instance from sweep_runs where id = ?", String.class, run)).isEqualTo("here");

        assertThat(there.open(SLOT.plusMinutes(1))).as("another slot while the run is unfinished").isZero();
        assertThat(there.open(SLOT)).as("the same slot").isZero();
        assertThat(jdbc.queryForObject("select count(*) from sweep_runs", Integer.class)).isEqualTo(1);
    }

    @Test
    void withNoRunOpenThereIsNoOpenRun() {
        assertThat(here.openRun()).isNull();
    }

    @Test
    void twoClaimersNeverGetTheSameGrantAndTogetherGetEveryGrantOnce() throws Exception {
        connect(40);
        here.open(SLOT);
        long run = here.openRun();
        JdbcSweepRuns oneBatch = new JdbcSweepRuns(jdbc, Duration.ofMinutes(5), 7, "a");
        JdbcSweepRuns otherBatch = new JdbcSweepRuns(jdbc, Duration.ofMinutes(5), 7, "b");
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService claimers = Executors.newFixedThreadPool(2);
        try {
            Callable<List<UUID>> a = () -> claimAll(oneBatch, run, together);
            Callable<List<UUID>> b = () -> claimAll(otherBatch, run, together);
            Future<List<UUID>> byA = claimers.submit(a);
            Future<List<UUID>> byB = claimers.submit(b);
            List<UUID> claimedByA = byA.get();
            List<UUID> claimedByB = byB.get();

            Set<UUID> overlap = new HashSet<>(claimedByA);
            overlap.retainAll(claimedByB);
            assertThat(overlap).as("grants claimed by both").isEmpty();
            assertThat(claimedByA.size() + claimedByB.size()).isEqualTo(40);
            assertThat(new HashSet<>(claimedByA)).hasSameSizeAs(claimedByA);
            assertThat(jdbc.queryForObject("select count(*) from sweep_items where run_id = ? and claimed_by = 'a'", Integer.class, run))
                    .isEqualTo(claimedByA.size());
        } finally {
            claimers.shutdownNow();
        }
    }

    @Test
    void aClaimTakesAtMostOneBatchOfUnclaimedGrantsAndAnExpiredClaimIsTakenAgain() {
        connect(5);
        here.open(SLOT);
        long run = here.openRun();

        List<UUID> first = here.claim(run);
        assertThat(first).hasSize(3);
        assertThat(there.claim(run)).as("the two grants left").hasSize(2).doesNotContainAnyElementsOf(first);
        assertThat(there.claim(run)).as("everything held").isEmpty();

        jdbc.update("update sweep_items set claim_until = now() - interval '1 second' where run_id = ? and claimed_by = 'here'", run);
        assertThat(there.claim(run)).as("the expired batch").containsExactlyInAnyOrderElementsOf(first);
        assertThat(jdbc.queryForObject("select count(*) from sweep_items where run_id = ? and claimed_by = 'there'", Integer.class, run)).isEqualTo(5);
    }

    @Test
    void aDoneGrantIsNotClaimedAgainAndItsFirstOutcomeStays() {
        List<UUID> ids = connect(1);
        here.open(SLOT);
        long run = here.openRun();
        here.claim(run);
        jdbc.update("update sweep_items set claim_until = now() - interval '1 second' where run_id = ?", run);

        here.done(run, ids.get(0), new SweepOutcome("valid", true));
        here.done(run, ids.get(0), SweepOutcome.ERROR);

        assertThat(there.claim(run)).isEmpty();
        assertThat(jdbc.queryForMap("select outcome, refreshed, done_at is not null as done from sweep_items where run_id = ?", run))
                .containsEntry("outcome", "valid").containsEntry("refreshed", true).containsEntry("done", true);
    }

    @Test
    void aRunClosesOnceEveryGrantIsDoneOnceAndItsSummaryCountsEveryInstancesOutcomes() {
        List<UUID> ids = connect(6);
        here.open(SLOT);
        long run = here.openRun();
        List<UUID> mine = here.claim(run);
        List<UUID> theirs = there.claim(run);
        assertThat(here.close(run)).as("nothing done yet").isFalse();
        assertThat(here.summary(run)).as("open").isNull();

        here.done(run, mine.get(0), new SweepOutcome("valid", true));
        here.done(run, mine.get(1), new SweepOutcome("valid", false));
        here.done(run, mine.get(2), new SweepOutcome("reauth_required", false));
        there.done(run, theirs.get(0), SweepOutcome.ERROR);
        there.done(run, theirs.get(1), SweepOutcome.SKIPPED);
        assertThat(there.close(run)).as("one grant left").isFalse();
        there.done(run, theirs.get(2), SweepOutcome.GONE);

        assertThat(here.close(run)).as("the closing call").isTrue();
        assertThat(there.close(run)).as("already closed").isFalse();
        assertThat(here.openRun()).isNull();
        Map<String, Object> summary = there.summary(run);
        assertThat(summary).containsEntry("run", run).containsEntry("checked", 4).containsEntry("valid", 2).containsEntry("refreshed", 1)
                .containsEntry("reauthRequired", 1).containsEntry("errors", 1).containsEntry("skippedUndecryptable", 1)
                .containsEntry("instances", 2).containsKey("durationMs");
        assertThat(ids).hasSize(6);
    }

    @Test
    void keepingARunsSummaryDeletesTheItemsOfOlderRunsOnly() {
        connect(2);
        long older = closedRun(SLOT);
        long newer = closedRun(SLOT.plusMinutes(1));

        here.keep(newer, here.summary(newer));

        assertThat(jdbc.queryForObject("select count(*) from sweep_items where run_id = ?", Integer.class, older)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from sweep_items where run_id = ?", Integer.class, newer)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select summary from sweep_runs where id = ?", String.class, newer)).startsWith("{run=" + newer + ", checked=2");
    }

    private long closedRun(OffsetDateTime slot) {
        assertThat(here.open(slot)).isPositive();
        long run = here.openRun();
        here.claim(run).forEach(grant -> here.done(run, grant, new SweepOutcome("valid", false)));
        assertThat(here.close(run)).isTrue();
        return run;
    }

    private static List<UUID> claimAll(JdbcSweepRuns runs, long run, CyclicBarrier together) throws Exception {
        together.await();
        List<UUID> claimed = new ArrayList<>();
        for (List<UUID> batch = runs.claim(run); !batch.isEmpty(); batch = runs.claim(run)) {
            claimed.addAll(batch);
        }
        return claimed;
    }

    private List<UUID> connect(int count) {
        int base = jdbc.queryForObject("select count(*) from grants", Integer.class);
        List<UUID> ids = new ArrayList<>();
        for (int i = base; i < base + count; i++) {
            ids.add(grants.connect("user-" + i, "github", List.of("github"),
                    new TokenSet("gho_SECRET-" + i, null, "Bearer", 3600L, List.of("repo"))).grant().id());
        }
        return ids;
    }
}
