package dev.oauthbroker.refresh;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.JdbcGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code refresh-leader} around the grant's refresh lease (a row, one statement each:
 * no transaction or connection held while the provider answers): claim it — waiting, while another
 * instance holds it, until that refresh is stored, the lease ends or the deadline passes — re-read
 * the grant under it, and release it.
 */
@Component("refreshLeases")
public class RefreshLeases {

    private static final Logger log = LoggerFactory.getLogger(RefreshLeases.class);

    private final JdbcGrantStore grants;
    private final JdbcRefreshLeases leases;
    private final Clock clock;
    private final Duration leasePoll;

    public RefreshLeases(JdbcGrantStore grants, JdbcRefreshLeases leases, Clock clock, BrokerProperties broker) {
        this.grants = grants;
        this.leases = leases;
        this.clock = clock;
        this.leasePoll = broker.refresh().leasePoll();
    }

    /** Step {@code refresh-lease}: the lease, or the outcome a peer settled meanwhile. */
    public RefreshLease claim(@ExchangeProperty(ExchangeProperties.GRANT) Grant seen,
                              @ExchangeProperty(ExchangeProperties.DEADLINE) Instant until) {
        String owner = UUID.randomUUID().toString();
        while (!leases.claim(seen.id(), owner)) {
            RefreshResult settled = RefreshPlan.settledSince(seen, grants.find(seen.id()).orElse(null));
            if (settled != null) {
                logPeer(seen);
                return new RefreshLease(null, settled);
            }
            if (!clock.instant().plus(leasePoll).isBefore(until)) {
                OAuthLog.event(log, "refresh.lease_wait_expired").grant(seen).warn("refresh gave up waiting for another instance's refresh of the grant");
                return new RefreshLease(null, RefreshResult.unavailable(seen, "refresh_in_progress"));
            }
            pause();
        }
        return new RefreshLease(owner, null);
    }

    /** Step {@code refresh-reread}: the grant as stored now, and what to do with it. */
    public RefreshPlan reread(@ExchangeProperty(ExchangeProperties.GRANT) Grant seen) {
        RefreshPlan plan = RefreshPlan.of(seen, grants.find(seen.id()).orElse(null));
        if (plan.action() == RefreshPlan.Action.SETTLED && plan.result().hasToken()) {
            logPeer(seen);
        }
        return plan;
    }

    /** Step {@code refresh-release}: ends the lease (a stored refresh already ended it; this is then a no-op). */
    public void release(@ExchangeProperty(ExchangeProperties.REFRESH_LEASE) RefreshLease lease, @ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        leases.release(grant.id(), lease.owner());
    }

    private static void logPeer(Grant seen) {
        OAuthLog.event(log, "refresh.settled_by_peer").grant(seen).info("refresh coalesced: grant refreshed by another caller meanwhile");
    }

    private void pause() {
        try {
            Thread.sleep(leasePoll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another refresh", e);
        }
    }
}
