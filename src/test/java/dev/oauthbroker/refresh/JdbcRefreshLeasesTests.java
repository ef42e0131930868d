package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.postgres.StoreDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A grant's refresh lease on PostgreSQL, without Spring: held by one owner at a time, until released, written over or expired. */
class JdbcRefreshLeasesTests {

    private static final DataSource data = StoreDatabase.create();

    private final JdbcTemplate jdbc = StoreDatabase.jdbc(data);
    private final JdbcGrantStore grants = StoreDatabase.grantStore(data, StoreDatabase.cipher("lease-test-key-0123456789abcdef-0123"), Clock.systemUTC());
    private final JdbcRefreshLeases leases = new JdbcRefreshLeases(jdbc, Duration.ofSeconds(30));
    private Grant grant;

    @BeforeEach
    void oneGrant() {
        jdbc.execute("truncate grant_events, grant_tools, grants");
        grant = grants.connect("u1", "atlassian", List.of("jira"), new TokenSet("at-SECRET", "rt-SECRET", "Bearer", 3600L, List.of())).grant();
    }

    @Test
    void aHeldLeaseIsNotGrantedTwiceUntilItsOwnerReleasesIt() {
        assertThat(leases.claim(grant.id(), "first")).isTrue();
        assertThat(leases.claim(grant.id(), "second")).as("held by first").isFalse();
        assertThat(leases.claim(grant.id(), "first")).as("not even to its owner again").isFalse();

        leases.release(grant.id(), "second");
        assertThat(lease()).as("only its owner releases it").containsEntry("refresh_lease_owner", "first");

        leases.release(grant.id(), "first");
        assertThat(lease()).containsEntry("refresh_lease_owner", null).containsEntry("refresh_lease_until", null);
        assertThat(leases.claim(grant.id(), "second")).isTrue();
    }

    @Test
    void aLeaseLastsBrokerRefreshLeaseAndAnExpiredOneIsClaimedByAnother() {
        assertThat(leases.claim(grant.id(), "crashed")).isTrue();
        assertThat(jdbc.queryForObject("select extract(epoch from refresh_lease_until - now()) from grants where id = ?", Double.class, grant.id()))
                .isBetween(29.0, 30.0);

        jdbc.update("update grants set refresh_lease_until = now() - interval '1 second' where id = ?", grant.id());

        assertThat(leases.claim(grant.id(), "alive")).isTrue();
        assertThat(lease()).containsEntry("refresh_lease_owner", "alive");
    }

    @Test
    void writingRefreshedTokensEndsTheLease() {
        assertThat(leases.claim(grant.id(), "refresher")).isTrue();

        assertThat(grants.saveRefreshed(grant, new TokenSet("at-SECRET-2", null, "Bearer", 3600L, List.of()))).isTrue();

        assertThat(lease()).containsEntry("refresh_lease_owner", null).containsEntry("refresh_lease_until", null);
    }

    @Test
    void aDisconnectedGrantHasNoLeaseToClaim() {
        grants.detach("u1", "jira");

        assertThat(leases.claim(grant.id(), "late")).isFalse();
        assertThat(lease()).containsEntry("refresh_lease_owner", null);
    }

    @Test
    void ofManyInstancesClaimingAtOnceExactlyOneGetsTheLease() throws Exception {
        int claimers = 8;
        CyclicBarrier together = new CyclicBarrier(claimers);
        ExecutorService threads = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String owner = "instance-" + i;
                claims.add(threads.submit(() -> {
                    together.await();
                    return leases.claim(grant.id(), owner);
                }));
            }
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    private Map<String, Object> lease() {
        return jdbc.queryForMap("select refresh_lease_owner, refresh_lease_until from grants where id = ?", grant.id());
    }
}
