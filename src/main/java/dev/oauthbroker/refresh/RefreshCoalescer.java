package dev.oauthbroker.refresh;

import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.web.RequestDeadlines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Collapses concurrent refreshes of one grant into one provider call whose result every waiter
 * receives, and bounds how long any caller waits for it.
 *
 * <ul>
 *   <li>In this process: a keyed single-flight — the first caller starts the refresh on its
 *       provider's refresh threads ({@link RefreshWorkers}, the bulkhead), every caller (the first
 *       included) gets its result — no thread waiting for it — or at the latest at its deadline ({@code BROKER_REQUEST_DEADLINE}); a caller that runs out answers
 *       {@code UNAVAILABLE} while the refresh goes on and stores its outcome.
 *   <li>Across processes: the worker claims the grant's refresh lease (one statement, no
 *       transaction or connection held while the provider answers), re-reads the grant, and only
 *       then calls the provider. If its {@code token_version} moved past the version the caller
 *       saw, someone refreshed meanwhile: that token is used without calling the provider. While
 *       another process holds the lease, the worker re-reads every {@code broker.refresh.lease-poll}
 *       until that refresh is stored, the lease ends, or the deadline passes. The new tokens are
 *       written fenced on the version that was sent, clearing the lease in the same statement.
 * </ul>
 */
@Component("refreshCoalescer")
public class RefreshCoalescer {

    private static final Logger log = LoggerFactory.getLogger(RefreshCoalescer.class);

    private final ConcurrentHashMap<UUID, CompletableFuture<RefreshResult>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong joined = new AtomicLong();
    private final JdbcGrantStore grants;
    private final ProducerTemplate routes;
    private final RefreshWorkers workers;
    private final Clock clock;
    private final RequestDeadlines deadlines;
    private final Duration leasePoll;
    private final BrokerMetrics metrics;

    public RefreshCoalescer(JdbcGrantStore grants, ProducerTemplate routes, RefreshWorkers workers,
                            RequestDeadlines deadlines, Clock clock, @Value("${broker.refresh.lease-poll}") Duration leasePoll, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.grants = grants;
        this.routes = routes;
        this.workers = workers;
        this.clock = clock;
        this.deadlines = deadlines;
        this.leasePoll = leasePoll;
    }

    /**
     * Route step of {@code refresh}: the grant seen by the caller is in exchange property
     * {@code grant}. Answers a stage that completes with the refresh's result, or with
     * {@code UNAVAILABLE} at the caller's deadline — Camel goes on with the route when it completes,
     * so no thread waits for it.
     */
    public CompletableFuture<RefreshResult> coalesce(Exchange exchange) {
        Grant seen = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        Instant until = deadlines.start(exchange.getProperty(RequestDeadlines.DEADLINE, Instant.class));
        CompletableFuture<RefreshResult> mine = new CompletableFuture<>();
        CompletableFuture<RefreshResult> leader = inFlight.putIfAbsent(seen.id(), mine);
        CompletableFuture<RefreshResult> running = leader == null ? mine : leader;
        if (leader == null) {
            started.incrementAndGet();
            start(seen, until, mine);
            mine.thenAccept(result -> metrics.refreshOutcome(result.grant().provider(), result.outcome().name(), result.reason()));
        } else {
            joined.incrementAndGet();
            OAuthLog.event(log, "refresh.coalesced").grant(seen).info("refresh coalesced: waiting on in-flight refresh");
            metrics.coalescedWaiter(seen.provider());
        }
        long leftMs = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        return running.copy()
                .completeOnTimeout(RefreshResult.unavailable(seen, "deadline"), leftMs, TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> {
                    if (result != null && "deadline".equals(result.reason()) && !running.isDone()) {
                        OAuthLog.event(log, "refresh.deadline").grant(seen).took(exchange).warn("refresh still running at the caller's deadline; answering without it");
                    }
                })
                // the rest of the caller's route runs on an answer thread, not on the timer's or the provider's
                .thenApplyAsync(result -> result, workers.answers());
    }

    /** Refreshes this process started since it began. */
    public long refreshesStarted() {
        return started.get();
    }

    /** Callers that joined a refresh already in flight in this process instead of starting one. */
    public long callersCoalesced() {
        return joined.get();
    }

    private void start(Grant seen, Instant until, CompletableFuture<RefreshResult> mine) {
        try {
            workers.execute(seen.provider(), () -> {
                try {
                    // a refresh that waited in its provider's queue past its caller's deadline is not started
                    mine.complete(clock.instant().isBefore(until) ? lead(seen, until) : RefreshResult.unavailable(seen, "deadline"));
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    inFlight.remove(seen.id(), mine);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(seen.id(), mine);
            mine.complete(RefreshResult.unavailable(seen, "refresh_capacity", Duration.ofSeconds(1)));
        }
    }

    /** On a refresh worker: claim the lease (or wait for the holder's outcome), then refresh once. */
    private RefreshResult lead(Grant seen, Instant until) {
        String owner = UUID.randomUUID().toString();
        while (!grants.claimRefreshLease(seen.id(), owner)) {
            RefreshResult settled = settledSince(seen, grants.find(seen.id()).orElse(null));
            if (settled != null) {
                return settled;
            }
            if (!clock.instant().plus(leasePoll).isBefore(until)) {
                OAuthLog.event(log, "refresh.lease_wait_expired").grant(seen).warn("refresh gave up waiting for another instance's refresh of the grant");
                return RefreshResult.unavailable(seen, "refresh_in_progress");
            }
            pause();
        }
        try {
            Grant current = grants.find(seen.id()).orElse(null);
            RefreshResult settled = settledSince(seen, current);
            if (settled != null) {
                return settled;
            }
            if (current.status() == GrantStatus.reauth_required) {
                return RefreshResult.reauthRequired(current, current.lastError());
            }
            if (!current.hasRefreshToken()) {
                return RefreshResult.reauthRequired(current, "no_refresh_token");
            }
            Exchange done = routes.send("direct:refresh-locked", e -> {
                e.setProperty(TokenRequests.GRANT, current);
                e.setProperty(RequestDeadlines.DEADLINE, until);
            });
            if (done.getException() != null) {
                throw new IllegalStateException("refresh route failed", done.getException());
            }
            return done.getMessage().getBody(RefreshResult.class);
        } finally {
            grants.releaseRefreshLease(seen.id(), owner);
        }
    }

    /**
     * The outcome already settled since the caller read {@code seen}: the grant was disconnected,
     * or someone refreshed it (or found it dead) meanwhile; null when it is still as seen.
     */
    private RefreshResult settledSince(Grant seen, Grant current) {
        if (current == null || current.status() == GrantStatus.disconnected) {
            return RefreshResult.reauthRequired(seen, "disconnected");
        }
        return current.tokenVersion() != seen.tokenVersion() ? peersOutcome(current) : null;
    }

    private RefreshResult peersOutcome(Grant current) {
        OAuthLog.event(log, "refresh.settled_by_peer").grant(current).info("refresh coalesced: grant refreshed by another caller meanwhile");
        return current.status() == GrantStatus.reauth_required
                ? RefreshResult.reauthRequired(current, current.lastError())
                : RefreshResult.alreadyFresh(current);
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
