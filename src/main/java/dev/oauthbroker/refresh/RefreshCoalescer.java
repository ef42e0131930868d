package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.flow.RequestDeadlines;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.metrics.BrokerMetrics;
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
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Collapses concurrent refreshes of one grant in this process into one run of the route
 * {@code refresh-leader} whose result every waiter receives, and bounds how long any caller waits
 * for it: a keyed single-flight — the first caller starts the refresh on its provider's refresh
 * threads ({@link RefreshWorkers}, the bulkhead), every caller (the first included) gets its
 * result — no thread waiting for it — or at the latest at its deadline
 * ({@code BROKER_REQUEST_DEADLINE}); a caller that runs out answers {@code UNAVAILABLE} while the
 * refresh goes on and stores its outcome. Across processes, {@code refresh-leader} serialises
 * refreshes with the grant's lease ({@link RefreshLeases}).
 */
@Component("refreshCoalescer")
public class RefreshCoalescer {

    private static final Logger log = LoggerFactory.getLogger(RefreshCoalescer.class);

    private final ConcurrentHashMap<UUID, CompletableFuture<RefreshResult>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong joined = new AtomicLong();
    private final ProducerTemplate routes;
    private final RefreshWorkers workers;
    private final Clock clock;
    private final RequestDeadlines deadlines;
    private final BrokerMetrics metrics;

    public RefreshCoalescer(ProducerTemplate routes, RefreshWorkers workers, RequestDeadlines deadlines, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.routes = routes;
        this.workers = workers;
        this.clock = clock;
        this.deadlines = deadlines;
    }

    /**
     * Step {@code refresh-coalesce}: {@code seen} is the grant as the caller read it. Answers a stage that completes with the refresh's result, or with
     * {@code UNAVAILABLE} at the caller's deadline — Camel goes on with the route when it completes,
     * so no thread waits for it.
     */
    public CompletableFuture<RefreshResult> coalesce(@ExchangeProperty(ExchangeProperties.GRANT) Grant seen,
                                                     @ExchangeProperty(ExchangeProperties.DEADLINE) Instant deadline) {
        Instant until = deadlines.start(deadline);
        CompletableFuture<RefreshResult> mine = new CompletableFuture<>();
        CompletableFuture<RefreshResult> leader = inFlight.putIfAbsent(seen.id(), mine);
        CompletableFuture<RefreshResult> running = leader == null ? mine : leader;
        if (leader == null) {
            started.incrementAndGet();
            mine.thenAccept(result -> metrics.refreshOutcome(result.grant().provider(), result.outcome().name(), result.reason()));
            start(seen, until, mine);
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
                        OAuthLog.event(log, "refresh.deadline").grant(seen).warn("refresh still running at the caller's deadline; answering without it");
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

    /** On a refresh worker: the route {@code refresh-leader} (lease, re-read, provider call, persist). */
    private RefreshResult lead(Grant seen, Instant until) {
        Exchange done = routes.send("direct:refresh-leader", e -> {
            e.setProperty(ExchangeProperties.GRANT, seen);
            e.setProperty(ExchangeProperties.DEADLINE, until);
        });
        if (done.getException() != null) {
            throw new IllegalStateException("refresh route failed", done.getException());
        }
        return done.getMessage().getBody(RefreshResult.class);
    }
}
