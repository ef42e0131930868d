package dev.oauthbroker.validation;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.GrantedScopes;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.RefreshTiming;
import dev.oauthbroker.provider.IdentitySpec;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.refresh.RefreshResult;
import dev.oauthbroker.resilience.ProviderGuards;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.provider.ProviderUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code validate} flow for one grant, each answering where the grant stands
 * ({@link Verdict}): refresh when due, call the provider's identity endpoint with the access token,
 * and on a 401 refresh once and ask again — a 401 with a fresh token means the grant is dead
 * ({@code reauth_required}).
 */
@Component("validations")
public class Validations {

    private static final Logger log = LoggerFactory.getLogger(Validations.class);

    private final AtomicLong concluded = new AtomicLong();
    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;
    private final RefreshTiming timing;
    private final ProviderGuards guards;
    private final Clock clock;
    private final BrokerMetrics metrics;

    public Validations(JdbcGrantStore grants, ProviderCatalog catalog, RefreshTiming timing, ProviderGuards guards, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.grants = grants;
        this.catalog = catalog;
        this.timing = timing;
        this.guards = guards;
        this.clock = clock;
    }

    /** The user's grants. */
    public List<Grant> ofUser(@ExchangeProperty(ExchangeProperties.USER_ID) String userId) {
        return grants.listForUser(userId);
    }

    /**
     * Step {@code validate-begin}: a grant whose provider left the catalogue, or a dead one, is concluded
     * at once (untouched); a due one is refreshed first.
     */
    public Verdict begin(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        if (!catalog.has(grant.provider())) {
            // its provider left the catalogue (a reload): nothing to call, and the grant stays as it is for its return
            return Verdict.of(Verdict.Status.ERROR, "provider_not_in_catalogue");
        }
        if (grant.status() == GrantStatus.reauth_required) {
            return Verdict.of(Verdict.Status.REAUTH_REQUIRED, grant.lastError());
        }
        if (grant.hasRefreshToken() && timing.due(grant, clock.instant())) {
            return Verdict.of(Verdict.Status.REFRESH, null);
        }
        return identityStep(grant);
    }

    /** After a refresh (body: its result; property {@code grant}: the grant it gave, if any). */
    public Verdict afterRefresh(@Body RefreshResult result, @ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        return Verdict.afterRefresh(result, identityStep(grant));
    }

    /** After the identity endpoint answered (body). */
    public Verdict afterIdentity(@Body IdentityAnswer answer, @ExchangeProperty(ExchangeProperties.GRANT) Grant grant,
                                 @ExchangeProperty(ExchangeProperties.REFRESHED) Boolean refreshed) {
        return Verdict.afterIdentity(answer, grant.hasRefreshToken(), Boolean.TRUE.equals(refreshed));
    }

    /**
     * The identity call, when one is due: while the provider's circuit breaker is not closed it is
     * reported unavailable ({@code circuit_open}) without being called; a provider without an
     * identity endpoint is valid once a token was obtained.
     */
    private Verdict identityStep(Grant grant) {
        if (guards.isDegraded(grant.provider())) {
            return Verdict.of(Verdict.Status.ERROR, "circuit_open");
        }
        if (catalog.provider(grant.provider()).identity() == null) {
            return Verdict.of(Verdict.Status.VALID, "no identity endpoint; token obtained");
        }
        return Verdict.of(Verdict.Status.IDENTITY, null);
    }

    /** The provider's identity request ({@link IdentitySpec}) with the access token as bearer. */
    public ProviderRequest identityRequest(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        IdentitySpec identity = catalog.provider(grant.provider()).identity();
        return new ProviderRequest(grant.provider(), ProviderRequest.Purpose.IDENTITY, identity.method(), identity.url(),
                Map.of("Authorization", "Bearer " + grant.accessToken(), "Accept", "application/json"), null);
    }

    /** Reads the identity answer as the provider's {@link IdentitySpec} says: accepted, rejected, or failed. */
    public IdentityAnswer judge(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body String body,
                                @ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request,
                                @ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        OAuthLog.event(log, "validate.identity_answer").grant(grant).with("status", status).debug("identity endpoint answered");
        return IdentityAnswer.of(catalog.provider(request.provider()).identity().judge(status, body), status);
    }

    /** The identity endpoint could not be asked (unreachable, no answer, breaker open): no verdict on the grant itself. */
    public IdentityAnswer unreachable(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        return new IdentityAnswer(IdentityAnswer.Kind.FAILED,
                cause instanceof ProviderUnavailableException refused ? refused.reason() : "identity_unreachable");
    }

    /** Step {@code validate-conclude}: the verdict recorded, and the result of one grant: one entry per tool it serves. */
    public List<Map<String, Object>> conclude(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.VERDICT) Verdict verdict,
                                              @ExchangeProperty(ExchangeProperties.REFRESHED) Boolean refreshedFlag, @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        boolean valid = verdict.status() == Verdict.Status.VALID;
        boolean dead = verdict.status() == Verdict.Status.REAUTH_REQUIRED;
        boolean refreshed = Boolean.TRUE.equals(refreshedFlag);
        if (valid) {
            grants.markValidated(grant);
        } else if (Verdict.IDENTITY_REJECTED.equals(verdict.reason())) {
            grants.markReauthRequired(grant, Verdict.IDENTITY_REJECTED);
        }
        OAuthLog.event(log, "validate." + verdict.status().name().toLowerCase()).grant(grant).took(startedAt, clock).with("reason", verdict.reason()).with("refreshed", refreshed).info("validated");
        metrics.validation(grant.provider(), verdict.status().name().toLowerCase());
        concluded.incrementAndGet();
        List<Map<String, Object>> results = new ArrayList<>();
        for (String tool : grant.tools()) {
            // a working grant still leaves a tool unusable when it lacks the tool's scopes
            boolean lacking = valid && catalog.tool(tool).map(t -> !GrantedScopes.missing(t.scopes(), grant.scopes()).isEmpty()).orElse(false);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("toolType", tool);
            result.put("valid", valid && !lacking);
            result.put("status", lacking ? "missing_scopes" : valid ? "connected" : dead ? "reauth_required" : "error");
            result.put("reason", lacking ? "missing_scopes" : verdict.reason());
            result.put("refreshed", refreshed);
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
    public Map<String, Object> collect(@Body List<List<Map<String, Object>>> perGrant) {
        List<Map<String, Object>> results = new ArrayList<>();
        if (perGrant != null) {
            perGrant.forEach(results::addAll);
        }
        results.sort((a, b) -> String.valueOf(a.get("toolType")).compareTo(String.valueOf(b.get("toolType"))));
        return Map.of("results", results);
    }

}
