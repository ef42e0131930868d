package dev.oauthbroker.revocation;

import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.Dialect.RevocationStyle;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.token.ProviderRejectedException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import dev.oauthbroker.web.RequestDeadlines;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
 * The outcome is in exchange property {@value #OUTCOME}: {@code revoked}, {@code failed},
 * {@code unsupported}, or {@code skipped} for a grant whose tokens cannot be decrypted.
 */
@Component("revocations")
public class Revocations {

    public static final String OUTCOME = "revocation";
    public static final String STEP = "revocationStep";
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final ProviderCatalog catalog;
    private final TokenRequests tokenRequests;
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final BrokerMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public Revocations(ProviderCatalog catalog, TokenRequests tokenRequests, JdbcGrantStore grants, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.catalog = catalog;
        this.tokenRequests = tokenRequests;
        this.grants = grants;
    }

    /**
     * Sets the outcome to {@code unsupported} when the provider has no revocation, {@code skipped}
     * when the grant's tokens cannot be decrypted (there is nothing to send), else leaves it open.
     */
    public void plan(Exchange exchange) {
        if (grantOf(exchange).undecryptable()) {
            exchange.setProperty(OUTCOME, "skipped");
            return;
        }
        Provider provider = providerOf(exchange);
        RevocationStyle style = provider.dialect().revocationStyle(provider.revocationUrl() != null);
        if (style == RevocationStyle.NONE) {
            exchange.setProperty(OUTCOME, "unsupported");
        }
        exchange.setProperty(STEP, style == RevocationStyle.RFC7009 && grantOf(exchange).hasRefreshToken() ? "refresh_token" : "access_token");
    }

    /** Prepares the HTTP request of the current step. */
    public void request(Exchange exchange) {
        Grant grant = grantOf(exchange);
        Provider provider = providerOf(exchange);
        Message message = exchange.getMessage();
        switch (provider.dialect().revocationStyle(true)) {
            case GITHUB_GRANT -> {
                TokenRequests.clearHeaders(message);
                message.setHeader(Exchange.HTTP_URI, provider.revocationUrl().replace("{clientId}", provider.clientId()));
                message.setHeader(Exchange.HTTP_METHOD, "DELETE");
                message.setHeader("Authorization", TokenRequests.basic(provider));
                message.setHeader("Accept", "application/vnd.github+json");
                message.setHeader(Exchange.CONTENT_TYPE, "application/json");
                message.setBody(write(Map.of("access_token", grant.accessToken())));
            }
            case SLACK_AUTH_REVOKE -> {
                TokenRequests.clearHeaders(message);
                message.setHeader(Exchange.HTTP_URI, provider.revocationUrl());
                message.setHeader(Exchange.HTTP_METHOD, "POST");
                message.setHeader("Authorization", "Bearer " + grant.accessToken());
                message.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
                message.setBody("");
            }
            default -> {
                String step = exchange.getProperty(STEP, String.class);
                tokenRequests.revocation(exchange, provider,
                        "refresh_token".equals(step) ? grant.refreshToken() : grant.accessToken(), step);
            }
        }
    }

    /** Reads the provider's answer: 2xx is done (Slack: {@code ok:true}); 5xx and 429 are retried. */
    public void check(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        TokenRequests.clearHeaders(exchange.getMessage());
        if (status == 429 || status >= 500) {
            throw new TransientProviderException("http_" + status, null);
        }
        if (status < 200 || status >= 300) {
            throw new ProviderRejectedException("http_" + status);
        }
        if (!providerOf(exchange).dialect().answerIsOk(body)) {
            throw new ProviderRejectedException("not_ok");
        }
    }

    /**
     * After the refresh token was revoked, whether the access token still needs its own request
     * (RFC 7009) — not once the request's deadline has passed: the disconnect answers in time.
     */
    public boolean nextStep(Exchange exchange) {
        Instant deadline = exchange.getProperty(RequestDeadlines.DEADLINE, Instant.class);
        if (deadline != null && !clock.instant().isBefore(deadline)) {
            return false;
        }
        if ("refresh_token".equals(exchange.getProperty(STEP, String.class))) {
            exchange.setProperty(STEP, "access_token");
            return true;
        }
        return false;
    }

    /** Records the outcome in the audit trail and answers it. */
    public String record(Exchange exchange) {
        Grant grant = grantOf(exchange);
        String outcome = exchange.getProperty(OUTCOME, "revoked", String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String detail = "revocation " + outcome + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        grants.event(grant.id(), grant.userId(), "revoked", detail);
        if ("failed".equals(outcome)) {
            OAuthLog.event(log, "revoke.failed").grant(grant).took(exchange).with("error", cause == null ? null : cause.getClass().getSimpleName()).warn("token revocation failed, disconnected locally anyway");
        } else {
            OAuthLog.event(log, "revoke." + outcome).grant(grant).took(exchange).info("token revocation " + outcome);
        }
        metrics.revocation(grant.provider(), outcome);
        exchange.setProperty(OUTCOME, outcome);
        return outcome;
    }

    private String write(Map<String, String> body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Grant grantOf(Exchange exchange) {
        return exchange.getProperty(TokenRequests.GRANT, Grant.class);
    }

    private Provider providerOf(Exchange exchange) {
        return catalog.provider(grantOf(exchange).provider());
    }
}
