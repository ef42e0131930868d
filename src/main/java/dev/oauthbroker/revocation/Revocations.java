package dev.oauthbroker.revocation;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.events.JdbcEventOutbox;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.ProviderRejectedException;
import dev.oauthbroker.provider.RevocationSpec;
import dev.oauthbroker.provider.RevocationSpec.RevocationRequest;
import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.provider.FormEncoding;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Revokes a grant at its provider, in the way its catalogue entry's {@link RevocationSpec} says
 * (RFC 7009 by default: the refresh token first, then the access token; GitHub's grant DELETE;
 * Slack's {@code auth.revoke}); a provider without one is {@code unsupported}. 2xx (and the
 * answer's ok flag, when named) is success, 429 and 5xx are retried.
 * The outcome is in exchange property {@value #OUTCOME}: {@code revoked}, {@code failed},
 * {@code unsupported}, or {@code skipped} for a grant whose tokens cannot be decrypted.
 */
@Component("revocations")
public class Revocations {

    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final ProviderCatalog catalog;
    private final JdbcEventOutbox events;
    private final Clock clock;
    private final BrokerMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public Revocations(ProviderCatalog catalog, JdbcEventOutbox events, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.catalog = catalog;
        this.events = events;
    }

    /** Step {@code revoke-plan}: what the provider's catalogue {@code revocation} sends for this grant. */
    public RevocationPlan plan(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        RevocationSpec spec = catalog.provider(grant.provider()).revocation();
        return RevocationPlan.of(grant.undecryptable(), spec == null ? null : spec.tokensFor(grant.hasRefreshToken()));
    }

    /** The first request of the plan. */
    public ProviderRequest firstRequest(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.REVOCATION_PLAN) RevocationPlan plan) {
        return request(grant, plan.first());
    }

    /** The second request of the plan (RFC 7009: the access token, after the refresh token). */
    public ProviderRequest secondRequest(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.REVOCATION_PLAN) RevocationPlan plan) {
        return request(grant, plan.second());
    }

    /** Whether the plan's second request is still to be sent — not once the request's deadline has passed. */
    public boolean secondDue(@ExchangeProperty(ExchangeProperties.REVOCATION_PLAN) RevocationPlan plan, @ExchangeProperty(ExchangeProperties.DEADLINE) Instant deadline) {
        return plan.second() != null && (deadline == null || clock.instant().isBefore(deadline));
    }

    /** One request of the plan, as the provider's {@link RevocationSpec} writes it. */
    private ProviderRequest request(Grant grant, String kind) {
        Provider provider = catalog.provider(grant.provider());
        RevocationRequest request = provider.revocation().requestFor(provider, kind,
                RevocationPlan.REFRESH_TOKEN.equals(kind) ? grant.refreshToken() : grant.accessToken(), grant.accessToken());
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("Accept", headers.getOrDefault("Accept", "application/json"));
        if (request.basicAuth()) {
            headers.put("Authorization", TokenRequests.basic(provider));
        }
        boolean json = request.body() == RevocationSpec.Body.json;
        headers.put(Exchange.CONTENT_TYPE, json ? "application/json" : "application/x-www-form-urlencoded");
        return new ProviderRequest(provider.id(), ProviderRequest.Purpose.REVOCATION, request.method(), request.url(), headers,
                json ? write(request.fields()) : FormEncoding.encode(request.fields()));
    }

    /** Classifies the provider's answer: 2xx is done (and its ok flag, when named); 5xx and 429 are retried. */
    public void check(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body String body,
                      @ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request) {
        switch (catalog.provider(request.provider()).revocation().judge(status, body)) {
            case RETRY -> throw new TransientProviderException("http_" + status, null);
            case FAILED -> throw new ProviderRejectedException(status >= 200 && status < 300 ? "not_ok" : "http_" + status);
            case REVOKED -> { }
        }
    }

    /** Step {@code revoke-record}: the outcome, recorded in the audit trail. */
    public String record(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.REVOCATION_PLAN) RevocationPlan plan,
                         @ExchangeProperty(ExchangeProperties.REVOCATION_FAILED) Boolean failed, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
                         @ExchangeProperty(ExchangeProperties.STARTED_AT) Instant startedAt) {
        String outcome = plan.outcome(Boolean.TRUE.equals(failed));
        String detail = "revocation " + outcome + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        events.append(grant.id(), grant.userId(), "revoked", detail);
        if ("failed".equals(outcome)) {
            OAuthLog.event(log, "revoke.failed").grant(grant).took(startedAt, clock).with("error", cause == null ? null : cause.getClass().getSimpleName()).warn("token revocation failed, disconnected locally anyway");
        } else {
            OAuthLog.event(log, "revoke." + outcome).grant(grant).took(startedAt, clock).info("token revocation " + outcome);
        }
        metrics.revocation(grant.provider(), outcome);
        return outcome;
    }

    private String write(Map<String, String> body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
