package dev.oauthbroker.authorization;

import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantedScopes;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.JdbcGrantStore.ConnectResult;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.metrics.BrokerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Callback step: stores the consent's tokens for exactly the user the state was issued to — as one
 * new grant, or, for a Grant access flow, in the grant it upgrades (same id, same tools). The
 * granted scopes stored are the answer's {@code scope}, or what was asked when it lists none
 * (RFC 6749 §5.1).
 */
@Component("grantConnections")
public class GrantConnections {

    private static final Logger log = LoggerFactory.getLogger(GrantConnections.class);

    private final JdbcGrantStore grants;
    private final BrokerMetrics metrics;
    private final Clock clock;

    public GrantConnections(JdbcGrantStore grants, BrokerMetrics metrics, Clock clock) {
        this.grants = grants;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Body: the {@link TokenSet}. Answers the older grants this consent replaced, to be revoked. */
    public List<Grant> store(@ExchangeProperty(ExchangeProperties.CALLED_BACK) CalledBack calledBack, @Body TokenSet tokens,
                             @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        PendingAuthorization pending = calledBack.request();
        if (pending.upgrades()) {
            Optional<Grant> upgraded = upgrade(pending, tokens);
            if (upgraded.isPresent()) {
                OAuthLog.event(log, "connect.scopes_granted").grant(upgraded.get()).took(startedAt, clock).with("scopes", upgraded.get().scopes()).info("grant access completed");
                return List.of();
            }
            OAuthLog.event(log, "connect.upgrade_target_gone").provider(pending.provider()).user(pending.userId()).tools(pending.tools()).info("the grant to upgrade was disconnected meanwhile; storing a new grant");
        }
        TokenSet granted = withScopes(tokens, GrantedScopes.ofConsent(tokens.scopes(), pending.scopes()));
        ConnectResult result = grants.connect(pending.userId(), pending.provider(), pending.tools(), granted);
        OAuthLog.event(log, "connect.completed").grant(result.grant()).took(startedAt, clock).with("refreshToken", tokens.refreshToken() != null).with("expiresIn", tokens.expiresInSeconds()).info("connected");
        metrics.connected(pending.provider());
        return result.orphaned();
    }

    private Optional<Grant> upgrade(PendingAuthorization pending, TokenSet tokens) {
        List<String> previous = grants.find(pending.upgradeGrant()).map(Grant::scopes).orElse(List.of());
        TokenSet granted = withScopes(tokens, GrantedScopes.ofUpgrade(previous, tokens.scopes(), pending.scopes()));
        return grants.upgrade(pending.upgradeGrant(), pending.userId(), pending.provider(), granted);
    }

    private static TokenSet withScopes(TokenSet tokens, List<String> scopes) {
        return new TokenSet(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresInSeconds(), scopes);
    }
}
