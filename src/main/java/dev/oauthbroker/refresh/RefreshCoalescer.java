package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.web.BrokerException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Collapses concurrent refreshes of one grant into one provider call whose result every waiter
 * receives.
 *
 * <ul>
 *   <li>In this process: a keyed single-flight — the first caller leads, later callers wait on its
 *       future.
 *   <li>Across processes: the leader opens a transaction, takes the grant's PostgreSQL advisory
 *       lock, and re-reads the grant. If its {@code token_version} moved past the version the
 *       caller saw, someone refreshed meanwhile: that token is returned without calling the
 *       provider. Otherwise {@code direct:refresh-locked} runs inside the transaction and writes the
 *       new tokens; the lock is released by the commit, so no waiter can re-read the old row.
 * </ul>
 */
@Component("refreshCoalescer")
public class RefreshCoalescer {

    private static final Logger log = LoggerFactory.getLogger(RefreshCoalescer.class);

    private final ConcurrentHashMap<UUID, CompletableFuture<RefreshResult>> inFlight = new ConcurrentHashMap<>();
    private final JdbcGrantStore grants;
    private final TransactionTemplate transactions;
    private final ProducerTemplate routes;

    public RefreshCoalescer(JdbcGrantStore grants, TransactionTemplate transactions, ProducerTemplate routes) {
        this.grants = grants;
        this.transactions = transactions;
        this.routes = routes;
    }

    /** Route step of {@code refresh}: the grant seen by the caller is in exchange property {@code grant}. */
    public RefreshResult coalesce(Exchange exchange) {
        Grant seen = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        CompletableFuture<RefreshResult> mine = new CompletableFuture<>();
        CompletableFuture<RefreshResult> leader = inFlight.putIfAbsent(seen.id(), mine);
        if (leader != null) {
            log.info("refresh coalesced: waiting on in-flight refresh (provider={} user={} grant={})", seen.provider(), seen.userId(), seen.id());
            try {
                return leader.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            RefreshResult result = transactions.execute(tx -> lockedRefresh(seen));
            mine.complete(result);
            return result;
        } catch (PessimisticLockingFailureException e) {
            log.warn("refresh gave up waiting for another refresh of the grant (provider={} user={} grant={})",
                    seen.provider(), seen.userId(), seen.id());
            BrokerException busy = new BrokerException(503, "provider_unavailable",
                    "another refresh of this grant is still running; try again shortly");
            mine.completeExceptionally(busy);
            throw busy;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(seen.id(), mine);
        }
    }

    private RefreshResult lockedRefresh(Grant seen) {
        long started = System.nanoTime();
        grants.lockForRefresh(seen.id());
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        Grant current = grants.find(seen.id()).orElse(null);
        if (current == null || current.status() == GrantStatus.disconnected) {
            return RefreshResult.reauthRequired(seen, "disconnected");
        }
        if (current.tokenVersion() != seen.tokenVersion()) {
            log.info("refresh coalesced: grant refreshed by another caller while waiting {} ms (provider={} user={} grant={})",
                    waitedMs, current.provider(), current.userId(), current.id());
            return current.status() == GrantStatus.reauth_required
                    ? RefreshResult.reauthRequired(current, current.lastError())
                    : RefreshResult.alreadyFresh(current);
        }
        if (current.status() == GrantStatus.reauth_required) {
            return RefreshResult.reauthRequired(current, current.lastError());
        }
        if (!current.hasRefreshToken()) {
            return RefreshResult.reauthRequired(current, "no_refresh_token");
        }
        Exchange done = routes.send("direct:refresh-locked", e -> e.setProperty(TokenRequests.GRANT, current));
        if (done.getException() != null) {
            throw new IllegalStateException("refresh route failed", done.getException());
        }
        return done.getMessage().getBody(RefreshResult.class);
    }
}
