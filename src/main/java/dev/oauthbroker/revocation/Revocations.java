package dev.oauthbroker.revocation;

import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.logging.OAuthLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.RevocationSpec;
import dev.oauthbroker.provider.RevocationSpec.RevocationRequest;
import dev.oauthbroker.token.ProviderRejectedException;
import dev.oauthbroker.token.TokenRequests;
import dev.oauthbroker.token.TransientProviderException;
import dev.oauthbroker.web.FormEncoding;
import dev.oauthbroker.web.RequestDeadlines;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    public static final String OUTCOME = "revocation";
    public static final String STEP = "revocationStep";
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final ProviderCatalog catalog;
    private final JdbcGrantStore grants;
    private final Clock clock;
    private final BrokerMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public Revocations(ProviderCatalog catalog, JdbcGrantStore grants, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.catalog = catalog;
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
        RevocationSpec spec = providerOf(exchange).revocation();
        if (spec == null) {
            exchange.setProperty(OUTCOME, "unsupported");
            return;
        }
        exchange.setProperty(STEP, spec.tokensFor(grantOf(exchange).hasRefreshToken()).get(0));
    }

    /** Prepares the HTTP request of the current step. */
    public void request(Exchange exchange) {
        Grant grant = grantOf(exchange);
        Provider provider = providerOf(exchange);
        String step = exchange.getProperty(STEP, String.class);
        RevocationRequest request = provider.revocation().requestFor(provider, step,
                "refresh_token".equals(step) ? grant.refreshToken() : grant.accessToken(), grant.accessToken());
        Message message = exchange.getMessage();
        TokenRequests.clearHeaders(message);
        message.setHeader(Exchange.HTTP_URI, request.url());
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader("Accept", "application/json");
        request.headers().forEach(message::setHeader);
        if (request.basicAuth()) {
            message.setHeader("Authorization", TokenRequests.basic(provider));
        }
        boolean json = request.body() == RevocationSpec.Body.json;
        message.setHeader(Exchange.CONTENT_TYPE, json ? "application/json" : "application/x-www-form-urlencoded");
        message.setBody(json ? write(request.fields()) : FormEncoding.encode(request.fields()));
    }

    /** Reads the provider's answer: 2xx is done (Slack: {@code ok:true}); 5xx and 429 are retried. */
    public void check(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        TokenRequests.clearHeaders(exchange.getMessage());
        switch (providerOf(exchange).revocation().judge(status, body)) {
            case RETRY -> throw new TransientProviderException("http_" + status, null);
            case FAILED -> throw new ProviderRejectedException(status >= 200 && status < 300 ? "not_ok" : "http_" + status);
            case REVOKED -> { }
        }
    }

    /**
     * After one token was revoked, whether another still needs its own request (RFC 7009: the
     * access token after the refresh token) — not once the request's deadline has passed: the
     * disconnect answers in time.
     */
    public boolean nextStep(Exchange exchange) {
        Instant deadline = exchange.getProperty(RequestDeadlines.DEADLINE, Instant.class);
        if (deadline != null && !clock.instant().isBefore(deadline)) {
            return false;
        }
        List<String> tokens = providerOf(exchange).revocation().tokensFor(grantOf(exchange).hasRefreshToken());
        int next = tokens.indexOf(exchange.getProperty(STEP, String.class)) + 1;
        if (next < tokens.size()) {
            exchange.setProperty(STEP, tokens.get(next));
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
