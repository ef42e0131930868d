package dev.oauthbroker.authorization;

import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.JdbcGrantStore.ConnectResult;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.metrics.BrokerMetrics;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Callback step: stores the consent's tokens as one grant for exactly the user the state was issued to. */
@Component("grantConnections")
public class GrantConnections {

    private static final Logger log = LoggerFactory.getLogger(GrantConnections.class);

    private final JdbcGrantStore grants;
    private final BrokerMetrics metrics;

    public GrantConnections(JdbcGrantStore grants, BrokerMetrics metrics) {
        this.grants = grants;
        this.metrics = metrics;
    }

    /** Body: the {@link TokenSet}. Answers the older grants this consent replaced, to be revoked. */
    public List<Grant> store(@ExchangeProperty(AuthorizationResponses.CALLED_BACK) CalledBack calledBack, @Body TokenSet tokens, Exchange exchange) {
        PendingAuthorization pending = calledBack.request();
        ConnectResult result = grants.connect(pending.userId(), pending.provider(), pending.tools(), tokens);
        OAuthLog.event(log, "connect.completed").grant(result.grant()).took(exchange).with("refreshToken", tokens.refreshToken() != null).with("expiresIn", tokens.expiresInSeconds()).info("connected");
        metrics.connected(pending.provider());
        return result.orphaned();
    }
}
