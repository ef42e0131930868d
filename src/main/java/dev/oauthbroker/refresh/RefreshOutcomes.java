package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.ProviderUnavailableException;
import dev.oauthbroker.grant.TokenSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ends of {@code refresh-locked}: persist new tokens, or record why there are none. Every
 * write is fenced on the token version that was sent, so a stale outcome never overwrites a newer
 * token — and a refresh error after someone else's successful refresh is a lost race, not a dead
 * grant (RFC 6749 §6: a new refresh token replaces the old one; none returned keeps it).
 */
@Component("refreshOutcomes")
public class RefreshOutcomes {

    private static final Logger log = LoggerFactory.getLogger(RefreshOutcomes.class);

    private final JdbcGrantStore grants;
    private final Clock clock;

    public RefreshOutcomes(JdbcGrantStore grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    /**
     * Step {@code refresh-persist}: the provider's tokens, written fenced on the version that was
     * sent. When the grant was disconnected while the provider answered, the outcome is
     * {@code DISCONNECTED_MEANWHILE} holding the tokens just issued: the route revokes them
     * ({@code refresh-revoke-issued}), since the disconnect revoked only the tokens it knew.
     */
    public RefreshResult persist(@ExchangeProperty(ExchangeProperties.GRANT) Grant sent, @Body TokenSet tokens,
                                 @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        if (grants.saveRefreshed(sent, tokens)) {
            Grant fresh = grants.find(sent.id()).orElseThrow();
            OAuthLog.event(log, "refresh.succeeded").grant(sent).took(startedAt, clock).with("rotated", tokens.refreshToken() != null).with("expiresAt", fresh.expiresAt()).info("token refreshed");
            return RefreshResult.refreshed(fresh);
        }
        return lostRace(sent).orElseGet(() -> RefreshResult.disconnectedMeanwhile(sent.withTokens(tokens.accessToken(), tokens.refreshToken())));
    }

    /**
     * After {@code refresh-revoke-issued} (body: the revocation's outcome): no live credential is
     * left at the provider; the caller learns the grant is gone ({@code REAUTH_REQUIRED}, reason
     * {@code disconnected}).
     */
    public RefreshResult revokedIssued(@ExchangeProperty(ExchangeProperties.GRANT) Grant issued, @Body String revocation) {
        OAuthLog.event(log, "refresh.disconnected_meanwhile").grant(issued).with("revocation", revocation).warn("grant disconnected during its refresh; the newly issued tokens were revoked");
        return RefreshResult.reauthRequired(issued, "disconnected");
    }

    /** The provider says the grant is dead (or the answer was lost on a rotating token): needs the user. */
    public RefreshResult reauthRequired(@ExchangeProperty(ExchangeProperties.GRANT) Grant sent,
                                        @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        String reason = reason(cause);
        Optional<RefreshResult> race = lostRace(sent);
        if (race.isPresent()) {
            return race.get();
        }
        grants.markReauthRequired(sent, reason);
        OAuthLog.event(log, "refresh.dead_grant").grant(sent).took(startedAt, clock).with("reason", reason).with("retried", false).warn("refresh failed permanently, grant needs reauthorization");
        return RefreshResult.reauthRequired(sent, reason);
    }

    /** Retries exhausted, or a refusal the user cannot fix: the grant stays as it is. */
    public RefreshResult unavailable(@ExchangeProperty(ExchangeProperties.GRANT) Grant sent,
                                     @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause, @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        String reason = reason(cause);
        Optional<RefreshResult> race = lostRace(sent);
        if (race.isPresent()) {
            return race.get();
        }
        grants.recordRefreshFailure(sent, reason);
        OAuthLog.event(log, "refresh.unavailable").grant(sent).took(startedAt, clock).with("reason", reason).error("refresh failed, provider unavailable");
        return RefreshResult.unavailable(sent, reason);
    }

    /**
     * The provider's circuit breaker refused the call: nothing was sent, nothing is
     * learnt about the grant, so nothing is written — the grant stays exactly as it is.
     */
    public RefreshResult refused(@ExchangeProperty(ExchangeProperties.GRANT) Grant sent,
                                 @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) ProviderUnavailableException refusal) {
        OAuthLog.event(log, "refresh.refused").grant(sent).with("reason", refusal.reason()).with("retryAfterMs", refusal.retryAfter().toMillis()).info("refresh refused without calling the provider");
        return RefreshResult.unavailable(sent, refusal.reason(), refusal.retryAfter());
    }

    /** Re-reads the grant: if its tokens changed since {@code sent} was read, someone else refreshed — use theirs. */
    private Optional<RefreshResult> lostRace(Grant sent) {
        return grants.find(sent.id())
                .filter(current -> current.tokenVersion() != sent.tokenVersion())
                .map(current -> {
                    OAuthLog.event(log, "refresh.lost_race").grant(sent).info("refresh error after a concurrent refresh: using the stored newer token");
                    return RefreshResult.alreadyFresh(current);
                });
    }

    static String reason(Throwable cause) {
        if (cause instanceof ProviderException pe) {
            return pe.reason();
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
}
