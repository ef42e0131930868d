package dev.oauthbroker.refresh;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.logging.OAuthLog;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the {@code token-rejected} flow: a host backend reports the access token its
 * provider refused (a 401), and the broker refreshes only if that token is still the stored one
 * — through the same single-flight and lease as every refresh ({@code direct:refresh}), whose
 * re-read under the lease compares the token version, so concurrent reports on any number of
 * instances cost one provider call. See {@link Rejection} for the outcomes.
 */
@Component("tokenRejections")
public class TokenRejections {

    private static final Logger log = LoggerFactory.getLogger(TokenRejections.class);

    private final JdbcGrantStore grants;
    private final Clock clock;
    private final Duration grace;

    public TokenRejections(JdbcGrantStore grants, Clock clock, BrokerProperties broker) {
        this.grants = grants;
        this.clock = clock;
        this.grace = broker.refresh().rejectedGrace();
    }

    /** Step {@code token-rejected-read}: the reported token from the body (400 {@code invalid_request} otherwise). */
    public ReportedToken reported(@Body String body) {
        return ReportedToken.parse(body);
    }

    /** Step {@code token-rejected-compare}: what the report calls for, given the grant as stored. */
    public Rejection compare(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.REPORTED_TOKEN) ReportedToken reported) {
        return Rejection.of(grant, reported, clock.instant(), grace);
    }

    /**
     * Step {@code token-rejected-record}: a report of the stored token is news — one
     * {@code token_rejected} event per rejected token, however many callers report it; a report of
     * a token already replaced is logged only.
     */
    public void record(@ExchangeProperty(ExchangeProperties.REJECTION) Rejection rejection, @ExchangeProperty(ExchangeProperties.GRANT) Grant grant,
                       @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        if (rejection.news() && grants.recordRejection(grant, rejection.detail())) {
            OAuthLog.event(log, "token.rejected").grant(grant).tool(tool).with("outcome", rejection.outcome()).info("access token reported rejected by the provider");
        } else if (!rejection.news()) {
            OAuthLog.event(log, "token.rejected_already_replaced").grant(grant).tool(tool).debug("rejected access token already replaced; current one answered");
        }
    }

    /**
     * Step {@code token-rejected-reauth}: a grant without a refresh token whose token the provider
     * refuses needs a new consent — marked {@code reauth_required} with reason {@code rejected}, 409.
     */
    public void reauthRequired(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        if (grants.markReauthRequired(grant, "rejected")) {
            OAuthLog.event(log, "token.rejected_reauth_required").grant(grant).tool(tool).warn("rejected access token has no refresh token: the user must reconnect");
        }
        throw TokenAccess.reauthRequired(tool, "rejected");
    }

    /** Step {@code token-rejected-loop-guard}: a token issued within the grace is not refreshed again — 409 {@code token_rejected}. */
    public void justIssued(@ExchangeProperty(ExchangeProperties.REJECTION) Rejection rejection, @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        throw tokenRejected("the rejected token of " + tool + " was issued " + Rejection.seconds(rejection.issuedAgo())
                + " ago (grace " + Rejection.seconds(rejection.grace()) + ") and is not refreshed again: a token this fresh is not"
                + " stale — check the scopes it was granted and the API it was sent to");
    }

    /** Step {@code token-rejected-unavailable}: the refresh did not happen; the stored token is known bad — 503. */
    public void unavailable(@Body RefreshResult result) {
        throw new BrokerException(BrokerException.Kind.UNAVAILABLE, "provider_unavailable",
                "the provider could not refresh the rejected token (" + result.reason() + "); try again later", result.retryAfter());
    }

    /**
     * Step {@code token-rejected-answer}: the refreshed token — unless the provider answered the
     * rejected token again (409 {@code token_rejected}: handing it out would only be reported again).
     */
    public AccessToken answer(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant, @ExchangeProperty(ExchangeProperties.REPORTED_TOKEN) ReportedToken reported,
                              @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        if (reported.matches(grant.accessToken())) {
            throw tokenRejected("the provider's refresh of " + tool + " answered the rejected token again");
        }
        return AccessToken.of(grant);
    }

    private static BrokerException tokenRejected(String message) {
        return new BrokerException(BrokerException.Kind.CONFLICT, "token_rejected", message);
    }
}
