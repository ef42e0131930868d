package dev.oauthbroker.validation;

import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.IdentitySpec;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.refresh.RefreshResult;
import dev.oauthbroker.refresh.TokenAccess;
import dev.oauthbroker.resilience.ProviderGuards;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.web.UserAuthentication;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code validate} flow for one grant: refresh when due, call the provider's
 * identity endpoint with the access token, and on a 401 refresh once and ask again — a 401 with a
 * fresh token means the grant is dead ({@code reauth_required}).
 */
@Component("validations")
public class Validations {

    private static final Logger log = LoggerFactory.getLogger(Validations.class);

    public static final String VERDICT = "verdict";
    public static final String REASON = "verdictReason";
    public static final String REFRESHED = "refreshed";

    private final AtomicLong concluded = new AtomicLong();
    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;
    private final TokenAccess tokenAccess;
    private final ProviderGuards guards;
    private final Clock clock;
    private final BrokerMetrics metrics;

    public Validations(JdbcGrantStore grants, ProviderCatalog catalog, TokenAccess tokenAccess, ProviderGuards guards, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.grants = grants;
        this.catalog = catalog;
        this.tokenAccess = tokenAccess;
        this.guards = guards;
        this.clock = clock;
    }

    /** The signed-in user's grants. */
    public List<Grant> ofUser(Exchange exchange) {
        return grants.listForUser(exchange.getProperty(UserAuthentication.USER_ID, String.class));
    }

    /** Body: a grant. Sets property {@code grant}; true when it must be refreshed before the identity call. */
    public boolean start(Exchange exchange) {
        Grant grant = exchange.getMessage().getBody(Grant.class);
        exchange.setProperty(TokenRequests.GRANT, grant);
        exchange.removeProperty(VERDICT);
        if (grant.status() == GrantStatus.reauth_required) {
            verdict(exchange, "reauth_required", grant.lastError());
            return false;
        }
        Provider provider = catalog.provider(grant.provider());
        return grant.hasRefreshToken() && grant.needsRefresh(clock.instant(), tokenAccess.bufferOf(provider));
    }

    /** Body: the refresh result. Keeps the fresh grant, or concludes when there is no token. */
    public void refreshed(Exchange exchange) {
        RefreshResult result = exchange.getMessage().getBody(RefreshResult.class);
        if (result.hasToken()) {
            exchange.setProperty(TokenRequests.GRANT, result.grant());
            exchange.setProperty(REFRESHED, true);
        } else if (result.outcome() == RefreshResult.Outcome.REAUTH_REQUIRED) {
            verdict(exchange, "reauth_required", result.reason());
        } else {
            verdict(exchange, "error", result.reason());
        }
    }

    /**
     * Whether an identity call is still needed: no verdict yet, the provider has an identity URL, and
     * its circuit breaker is closed — while it is not, the provider is reported unavailable
     * ({@code circuit_open}) without being called.
     */
    public boolean needsIdentityCall(Exchange exchange) {
        if (exchange.getProperty(VERDICT) != null) {
            return false;
        }
        String provider = grantOf(exchange).provider();
        if (guards.isDegraded(provider)) {
            verdict(exchange, "error", "circuit_open");
            return false;
        }
        if (catalog.provider(provider).identity() == null) {
            verdict(exchange, "valid", "no identity endpoint; token obtained");
            return false;
        }
        return true;
    }

    /** Prepares the provider's identity request ({@link IdentitySpec}) with the access token as bearer. */
    public void identityRequest(Exchange exchange) {
        Grant grant = grantOf(exchange);
        Message message = exchange.getMessage();
        TokenRequests.clearHeaders(message);
        IdentitySpec identity = catalog.provider(grant.provider()).identity();
        message.setHeader(Exchange.HTTP_URI, identity.url());
        message.setHeader(Exchange.HTTP_METHOD, identity.method());
        message.setHeader("Authorization", "Bearer " + grant.accessToken());
        message.setHeader("Accept", "application/json");
        message.setBody(null);
    }

    /**
     * Reads the identity answer as its {@link IdentitySpec} says: valid; rejected (401, Slack
     * {@code invalid_auth}) — answered with {@code true} when a forced refresh should be tried
     * once; anything else an error.
     */
    public boolean judge(Exchange exchange) {
        Grant grant = grantOf(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        TokenRequests.clearHeaders(exchange.getMessage());
        OAuthLog.event(log, "validate.identity_answer").grant(grant).with("status", status).debug("identity endpoint answered");
        IdentitySpec.Verdict judged = catalog.provider(grant.provider()).identity().judge(status, body);
        if (judged == IdentitySpec.Verdict.VALID) {
            verdict(exchange, "valid", null);
            return false;
        }
        if (judged == IdentitySpec.Verdict.REJECTED) {
            boolean retry = grant.hasRefreshToken() && !Boolean.TRUE.equals(exchange.getProperty(REFRESHED, Boolean.class));
            if (!retry) {
                grants.markReauthRequired(grant, "identity_rejected");
                verdict(exchange, "reauth_required", "identity_rejected");
            }
            return retry;
        }
        verdict(exchange, "error", "identity_http_" + status);
        return false;
    }

    /** The identity endpoint could not be reached: no verdict on the grant itself. */
    public boolean unreachable(Exchange exchange) {
        verdict(exchange, "error", "identity_unreachable");
        return false;
    }

    /** The result of one grant: one entry per tool it serves. */
    public List<Map<String, Object>> conclude(Exchange exchange) {
        Grant grant = grantOf(exchange);
        String verdict = exchange.getProperty(VERDICT, "error", String.class);
        String reason = exchange.getProperty(REASON, String.class);
        if ("valid".equals(verdict)) {
            grants.markValidated(grant);
        }
        OAuthLog.event(log, "validate." + verdict).grant(grant).took(exchange).with("reason", reason).with("refreshed", Boolean.TRUE.equals(exchange.getProperty(REFRESHED, Boolean.class))).info("validated");
        metrics.validation(grant.provider(), verdict);
        concluded.incrementAndGet();
        List<Map<String, Object>> results = new ArrayList<>();
        for (String tool : grant.tools()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("toolType", tool);
            result.put("valid", "valid".equals(verdict));
            result.put("status", "valid".equals(verdict) ? "connected" : "reauth_required".equals(verdict) ? "reauth_required" : "error");
            result.put("reason", reason);
            result.put("refreshed", Boolean.TRUE.equals(exchange.getProperty(REFRESHED, Boolean.class)));
            results.add(result);
        }
        return results;
    }

    /** Grants validated since start, for progress displays. */
    public long concluded() {
        return concluded.get();
    }

    /** Body: the per-grant result lists of a split; flattened into {@code {results:[...]}}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> collect(Exchange exchange) {
        List<List<Map<String, Object>>> perGrant = exchange.getMessage().getBody(List.class);
        List<Map<String, Object>> results = new ArrayList<>();
        if (perGrant != null) {
            perGrant.forEach(results::addAll);
        }
        results.sort((a, b) -> String.valueOf(a.get("toolType")).compareTo(String.valueOf(b.get("toolType"))));
        return Map.of("results", results);
    }

    private static void verdict(Exchange exchange, String verdict, String reason) {
        exchange.setProperty(VERDICT, verdict);
        exchange.setProperty(REASON, reason);
    }

    private static Grant grantOf(Exchange exchange) {
        return exchange.getProperty(TokenRequests.GRANT, Grant.class);
    }
}
