package dev.oauthbroker.revocation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.Dialect.RevocationStyle;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.token.ProviderCalls;
import dev.oauthbroker.provider.ProviderRejectedException;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.web.RequestDeadlines;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Revokes a grant at its provider, in the provider's way:
 * <ul>
 *   <li>RFC 7009 (Google, Zoom, {@code oauth2}): the refresh token first (revoking it SHOULD kill
 *       its access tokens, §2.1), then the access token; 200 also for an unknown token is success;
 *       503 and other 5xx are retried.
 *   <li>GitHub: {@code DELETE /applications/{client_id}/grant}, Basic client auth, body
 *       {@code {"access_token"}} — removes the whole authorization.
 *   <li>Slack: {@code auth.revoke} with the token as bearer; {@code ok:false} is a failure.
 *   <li>Atlassian, Microsoft, Figma: no per-token endpoint — {@code unsupported}.
 * </ul>
 * The outcome: {@code revoked}, {@code failed}, {@code unsupported}, or {@code skipped} for a
 * grant whose tokens cannot be decrypted.
 */
@Component("revocations")
public class Revocations {

    /** Exchange property holding the grant's {@link RevocationPlan}. */
    public static final String PLAN = "revocationPlan";
    /** Exchange property set by revocation-errors when a request failed for good. */
    public static final String FAILED = "revocationFailed";
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final ProviderCatalog catalog;
    private final TokenRequests tokenRequests;
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public Revocations(ProviderCatalog catalog, TokenRequests tokenRequests, JdbcGrantStore grants, Clock clock) {
        this.clock = clock;
        this.catalog = catalog;
        this.tokenRequests = tokenRequests;
        this.grants = grants;
    }

    /** Step {@code revoke-plan}. */
    public RevocationPlan plan(@ExchangeProperty(TokenRequests.GRANT) Grant grant) {
        Provider provider = catalog.provider(grant.provider());
        RevocationStyle style = provider.dialect().revocationStyle(provider.revocationUrl() != null);
        return RevocationPlan.of(grant.undecryptable(), style, grant.hasRefreshToken());
    }

    /** The first request of the plan. */
    public ProviderRequest firstRequest(@ExchangeProperty(TokenRequests.GRANT) Grant grant, @ExchangeProperty(PLAN) RevocationPlan plan) {
        return request(grant, plan.first());
    }

    /** The second request of the plan (RFC 7009: the access token, after the refresh token). */
    public ProviderRequest secondRequest(@ExchangeProperty(TokenRequests.GRANT) Grant grant, @ExchangeProperty(PLAN) RevocationPlan plan) {
        return request(grant, plan.second());
    }

    /** Whether the plan's second request is still to be sent — not once the request's deadline has passed. */
    public boolean secondDue(@ExchangeProperty(PLAN) RevocationPlan plan, @ExchangeProperty(RequestDeadlines.DEADLINE) Instant deadline) {
        return plan.second() != null && (deadline == null || clock.instant().isBefore(deadline));
    }

    private ProviderRequest request(Grant grant, String hint) {
        Provider provider = catalog.provider(grant.provider());
        return switch (provider.dialect().revocationStyle(true)) {
            case GITHUB_GRANT -> new ProviderRequest(provider.id(), ProviderRequest.Purpose.REVOCATION, "DELETE",
                    provider.revocationUrl().replace("{clientId}", provider.clientId()),
                    Map.of("Authorization", TokenRequests.basic(provider), "Accept", "application/vnd.github+json",
                            Exchange.CONTENT_TYPE, "application/json"),
                    write(Map.of("access_token", grant.accessToken())));
            case SLACK_AUTH_REVOKE -> new ProviderRequest(provider.id(), ProviderRequest.Purpose.REVOCATION, "POST",
                    provider.revocationUrl(),
                    Map.of("Authorization", "Bearer " + grant.accessToken(), Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded"),
                    "");
            default -> tokenRequests.revocation(provider,
                    RevocationPlan.REFRESH_TOKEN.equals(hint) ? grant.refreshToken() : grant.accessToken(), hint);
        };
    }

    /** Classifies the provider's answer: 2xx is done (Slack: {@code ok:true}); 5xx and 429 are retried. */
    public void check(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body String body,
                      @ExchangeProperty(ProviderCalls.REQUEST) ProviderRequest request) {
        if (status == 429 || status >= 500) {
            throw new TransientProviderException("http_" + status, null);
        }
        if (status < 200 || status >= 300) {
            throw new ProviderRejectedException("http_" + status);
        }
        if (!catalog.provider(request.provider()).dialect().answerIsOk(body)) {
            throw new ProviderRejectedException("not_ok");
        }
    }

    /** Step {@code revoke-record}: the outcome, recorded in the audit trail. */
    public String record(@ExchangeProperty(TokenRequests.GRANT) Grant grant, @ExchangeProperty(PLAN) RevocationPlan plan,
                         @ExchangeProperty(FAILED) Boolean failed, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String outcome = plan.outcome(Boolean.TRUE.equals(failed));
        String detail = "revocation " + outcome + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        grants.event(grant.id(), grant.userId(), "revoked", detail);
        if ("failed".equals(outcome)) {
            log.warn("token revocation failed, disconnected locally anyway (provider={} user={} grant={} error={})",
                    grant.provider(), grant.userId(), grant.id(), cause == null ? "-" : cause.getMessage());
        } else {
            log.info("token revocation {} (provider={} user={} grant={})", outcome, grant.provider(), grant.userId(), grant.id());
        }
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
