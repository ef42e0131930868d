package dev.oauthbroker.refresh;

import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.web.BrokerException;
import dev.oauthbroker.web.UserAuthentication;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code token} flow: find the user's grant for a tool, decide whether it must be
 * refreshed first, and answer with the access token or the documented error.
 */
@Component("tokenAccess")
public class TokenAccess {

    public static final String TOOL = "toolType";
    public static final String FORCE = "forceRefresh";
    public static final String REFRESH_NEEDED = "refreshNeeded";
    private static final Logger log = LoggerFactory.getLogger(TokenAccess.class);

    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;
    private final Clock clock;
    private final Duration defaultBuffer;

    public TokenAccess(JdbcGrantStore grants, ProviderCatalog catalog, Clock clock, BrokerProperties properties) {
        this.grants = grants;
        this.catalog = catalog;
        this.clock = clock;
        this.defaultBuffer = properties.refresh().buffer();
    }

    /** HTTP entry: path {@code userId}, {@code toolType}, query {@code forceRefresh} become exchange properties. */
    public void fromRequest(Exchange exchange) {
        exchange.setProperty(UserAuthentication.USER_ID, exchange.getMessage().getHeader("userId", String.class));
        exchange.setProperty(TOOL, exchange.getMessage().getHeader("toolType", String.class));
        exchange.setProperty(FORCE, "true".equalsIgnoreCase(exchange.getMessage().getHeader("forceRefresh", String.class)));
    }

    /** Loads the grant into property {@code grant} and sets {@code refreshNeeded}. */
    public void load(Exchange exchange) {
        String userId = exchange.getProperty(UserAuthentication.USER_ID, String.class);
        String tool = exchange.getProperty(TOOL, String.class);
        boolean force = Boolean.TRUE.equals(exchange.getProperty(FORCE, Boolean.class));
        if (catalog.tool(tool).isEmpty()) {
            throw BrokerException.notFound("unknown_tool", "no such tool");
        }
        Grant grant = grants.findByUserTool(userId, tool)
                .orElseThrow(() -> BrokerException.notFound("not_connected", "the user has not connected " + tool));
        if (grant.status() == GrantStatus.reauth_required) {
            throw reauthRequired(tool, grant.lastError());
        }
        Provider provider = catalog.provider(grant.provider());
        boolean due = grant.needsRefresh(clock.instant(), bufferOf(provider));
        if (due && !force) {
            OAuthLog.event(log, "refresh.proactive").grant(grant).tool(tool).with("expiresInMs", Duration.between(clock.instant(), grant.expiresAt()).toMillis()).info("proactive refresh triggered");
        }
        exchange.setProperty(TokenRequests.GRANT, grant);
        exchange.setProperty(REFRESH_NEEDED, (due || force) && grant.hasRefreshToken());
    }

    /** Answers with the token of property {@code grant}, or of the refresh result in the body. */
    public Map<String, Object> answer(Exchange exchange) {
        String tool = exchange.getProperty(TOOL, String.class);
        Grant grant = exchange.getProperty(TokenRequests.GRANT, Grant.class);
        RefreshResult result = exchange.getMessage().getBody() instanceof RefreshResult r ? r : null;
        if (result != null) {
            switch (result.outcome()) {
                case REAUTH_REQUIRED -> throw "disconnected".equals(result.reason())
                        ? BrokerException.notFound("not_connected", "the user disconnected " + tool)
                        : reauthRequired(tool, result.reason());
                case UNAVAILABLE -> {
                    boolean force = Boolean.TRUE.equals(exchange.getProperty(FORCE, Boolean.class));
                    if (force || grant.expiresAt() == null || !clock.instant().isBefore(grant.expiresAt())) {
                        throw new BrokerException(503, "provider_unavailable",
                                "the provider could not refresh the token (" + result.reason() + "); try again later",
                                result.retryAfter());
                    }
                    OAuthLog.event(log, "refresh.proactive_failed").grant(grant).tool(tool).took(exchange).with("validUntil", grant.expiresAt()).warn("proactive refresh failed; the current token is still valid");
                }
                default -> grant = result.grant();
            }
        } else if (grant.expiresAt() != null && !clock.instant().isBefore(grant.expiresAt())) {
            throw reauthRequired(tool, "expired_without_refresh_token");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessToken", grant.accessToken());
        body.put("tokenType", grant.tokenType());
        body.put("expiresAt", grant.expiresAt());
        body.put("scopes", grant.scopes());
        return body;
    }

    public Duration bufferOf(Provider provider) {
        return provider.refreshBuffer() != null ? provider.refreshBuffer() : defaultBuffer;
    }

    private static BrokerException reauthRequired(String tool, String reason) {
        return new BrokerException(409, "reauth_required", "the user must reconnect " + tool
                + (reason == null ? "" : " (" + reason + ")"));
    }
}
