package dev.oauthbroker.refresh;

import dev.oauthbroker.cache.GrantCache;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.GrantedScopes;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.RefreshTiming;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.BrokerException;
import java.time.Clock;
import java.util.Map;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code token} flow: find the user's grant for a tool, say whether it must be
 * refreshed first, and answer with the access token or the documented error.
 */
@Component("tokenAccess")
public class TokenAccess {

    private static final Logger log = LoggerFactory.getLogger(TokenAccess.class);

    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;
    private final RefreshTiming timing;
    private final Clock clock;
    private final GrantCache cache;

    public TokenAccess(JdbcGrantStore grants, ProviderCatalog catalog, RefreshTiming timing, Clock clock, GrantCache cache) {
        this.grants = grants;
        this.catalog = catalog;
        this.timing = timing;
        this.clock = clock;
        this.cache = cache;
    }

    /** The property {@code forceRefresh} (the query parameter as it came): {@code true} (any case) asks for a refresh even when none is due. */
    static boolean forced(String force) {
        return "true".equalsIgnoreCase(force);
    }

    /**
     * Step {@code token-cached}: the answer from this instance's memory when it needs no database —
     * not forced, the grant active, its access token valid and not due ({@link #answersFromMemory});
     * else null, and the flow asks PostgreSQL as before.
     */
    public AccessToken cached(@ExchangeProperty(ExchangeProperties.USER_ID) String userId, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool,
                              @ExchangeProperty(ExchangeProperties.FORCE_REFRESH) String force) {
        if (forced(force) || catalog.tool(tool).isEmpty()) {
            // forced, or a tool no longer in the catalogue (a reload): the load step decides (unknown_tool)
            return null;
        }
        return cache.cached(userId, tool, this::answersFromMemory).map(grant -> {
            requireScopes(grant, tool);
            return AccessToken.of(grant);
        }).orElse(null);
    }

    /** Step {@code token-load}: the user's grant serving the tool (kept in the cache when it {@linkplain #answersFromMemory can be}). */
    public Grant load(@ExchangeProperty(ExchangeProperties.USER_ID) String userId, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        if (catalog.tool(tool).isEmpty()) {
            throw BrokerException.notFound("unknown_tool", "no such tool");
        }
        Grant grant = cache.load(userId, tool, () -> grants.findByUserTool(userId, tool), this::answersFromMemory)
                .orElseThrow(() -> BrokerException.notFound("not_connected", "the user has not connected " + tool));
        if (grant.status() == GrantStatus.reauth_required) {
            throw reauthRequired(tool, grant.lastError());
        }
        requireScopes(grant, tool);
        return grant;
    }

    /** Whether the grant is refreshed before answering: asked for, or due — and it can be. */
    public boolean refreshFirst(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.FORCE_REFRESH) String force) {
        if (!grant.hasRefreshToken()) {
            return false;
        }
        boolean due = timing.due(grant, clock.instant());
        if (due && !forced(force)) {
            OAuthLog.event(log, "refresh.proactive").grant(grant).with("expiresInMs", Duration.between(clock.instant(), grant.expiresAt()).toMillis()).info("proactive refresh triggered");
        }
        return due || forced(force);
    }

    /** After {@code REAUTH_REQUIRED}: the documented 409 (404 when the user disconnected meanwhile). */
    public void reauthRequired(@Body RefreshResult result, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        throw "disconnected".equals(result.reason())
                ? BrokerException.notFound("not_connected", "the user disconnected " + tool)
                : reauthRequired(tool, result.reason());
    }

    /**
     * After {@code UNAVAILABLE}: a proactive refresh that failed still answers with the current
     * token while it is valid; a forced one, or an expired token, is a 503.
     */
    public Grant stillValid(@Body RefreshResult result, @ExchangeProperty(ExchangeProperties.GRANT) Grant grant,
                            @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool, @ExchangeProperty(ExchangeProperties.FORCE_REFRESH) String force) {
        if (forced(force) || expired(grant)) {
            throw new BrokerException(BrokerException.Kind.UNAVAILABLE, "provider_unavailable",
                    "the provider could not refresh the token (" + result.reason() + "); try again later", result.retryAfter());
        }
        OAuthLog.event(log, "refresh.proactive_failed").grant(grant).tool(tool).with("validUntil", grant.expiresAt()).warn("proactive refresh failed; the current token is still valid");
        return grant;
    }

    /** Without a refresh: the stored token, unless it expired and cannot be refreshed. */
    public Grant current(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        if (expired(grant)) {
            throw reauthRequired(tool, "expired_without_refresh_token");
        }
        return grant;
    }

    /** Step {@code token-answer}: the token, unless a refresh answer just narrowed the grant below the tool's scopes. */
    public AccessToken answer(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        requireScopes(grant, tool);
        return AccessToken.of(grant);
    }

    /** Step {@code token-exchange-answer}: the {@code token} flow's answer (from memory or not) as RFC 8693 §2.2.1 has it. */
    public Map<String, Object> exchanged(@Body AccessToken token) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token.accessToken());
        answer.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
        answer.put("token_type", token.tokenType());
        if (token.expiresAt() != null) {
            answer.put("expires_in", Math.max(0, Duration.between(clock.instant(), token.expiresAt()).toSeconds()));
        }
        answer.put("scope", String.join(" ", token.scopes()));
        return answer;
    }

    /**
     * The documented 409 {@code missing_scopes} with the list, when the grant lacks some of the
     * tool's catalogue scopes: the provider would refuse the calls the tool makes, and only the user
     * can fix it (Grant access). Sibling tools of the grant are not affected.
     */
    private void requireScopes(Grant grant, String tool) {
        List<String> missing = catalog.tool(tool).map(t -> GrantedScopes.missing(t.scopes(), grant.scopes())).orElse(List.of());
        if (!missing.isEmpty()) {
            throw new BrokerException(BrokerException.Kind.CONFLICT, "missing_scopes",
                    "the user has not granted every scope " + tool + " needs; they can grant them with Grant access")
                    .with("missing", missing);
        }
    }

    /** Whether the grant's answer needs no database now: active, decryptable, not expired, not due for a refresh. */
    boolean answersFromMemory(Grant grant) {
        return grant.status() == GrantStatus.active && !grant.undecryptable() && !expired(grant) && !timing.due(grant, clock.instant());
    }

    private boolean expired(Grant grant) {
        return grant.expiresAt() != null && !clock.instant().isBefore(grant.expiresAt());
    }

    static BrokerException reauthRequired(String tool, String reason) {
        return new BrokerException(BrokerException.Kind.CONFLICT, "reauth_required", "the user must reconnect " + tool
                + (reason == null ? "" : " (" + reason + ")"));
    }
}
