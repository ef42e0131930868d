package dev.oauthbroker.grant;

import dev.oauthbroker.authorization.AuthorizationResponses;
import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import dev.oauthbroker.authorization.PendingAuthorization;
import dev.oauthbroker.grant.JdbcGrantStore.ConnectResult;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Callback step: stores the consent's tokens as one grant for exactly the user the state was issued to. */
@Component("grantConnections")
public class GrantConnections {

    private static final Logger log = LoggerFactory.getLogger(GrantConnections.class);

    private final JdbcGrantStore grants;

    public GrantConnections(JdbcGrantStore grants) {
        this.grants = grants;
    }

    /** Body: the {@link TokenSet}. Answers the older grants this consent replaced, to be revoked. */
    public List<Grant> store(@ExchangeProperty(AuthorizationResponses.CALLED_BACK) CalledBack calledBack, @Body TokenSet tokens) {
        PendingAuthorization pending = calledBack.request();
        ConnectResult result = grants.connect(pending.userId(), pending.provider(), pending.tools(), tokens);
        log.info("connected (user={} provider={} tools={} grant={} refreshToken={} expiresIn={})", pending.userId(),
                pending.provider(), pending.tools(), result.grant().id(), tokens.refreshToken() != null, tokens.expiresInSeconds());
        return result.orphaned();
    }
}
