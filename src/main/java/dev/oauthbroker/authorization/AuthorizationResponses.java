package dev.oauthbroker.authorization;

import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.AnswerRules;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.FormEncoding;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks an authorization response (RFC 6749 §4.1.2) before any token request: the state must be
 * known, unused and younger than {@code broker.state.max-age} (it is consumed either way, so it
 * can never be replayed); a provider {@code iss} must be the issuer the state was issued for
 * (RFC 9207 mix-up defence); a provider {@code error} ends the flow. Nothing is stored on rejection.
 * Every rejection carries a fixed text per error code: nothing of the request is echoed to the user.
 */
@Component("authorizationResponses")
public class AuthorizationResponses {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationResponses.class);
    private static final Map<String, String> PROVIDER_ERRORS = Map.of(
            "access_denied", "You declined access, so nothing was connected.",
            "admin_consent_required", "Your administrator must approve this application before you can connect it.",
            "consent_required", "The provider needs your consent to connect this application.",
            "interaction_required", "The provider needs you to sign in again.",
            "temporarily_unavailable", "The provider is temporarily unavailable. Please try again in a moment.",
            "server_error", "The provider had an internal error. Please try again.",
            "provider_error", "The provider reported an error, so nothing was connected. Please try again.");

    private final JdbcStateStore states;
    private final ProviderCatalog catalog;
    private final Duration maxAge;

    public AuthorizationResponses(JdbcStateStore states, ProviderCatalog catalog, BrokerProperties properties) {
        this.states = states;
        this.catalog = catalog;
        this.maxAge = properties.state().maxAge();
    }

    /** Step {@code callback-accept}: the checked callback (its raw query string). */
    public CalledBack accept(@Header(Exchange.HTTP_QUERY) String rawQuery) {
        Map<String, String> query = query(rawQuery);
        String state = query.get("state");
        if (state == null || state.isBlank() || state.length() > 200) {
            throw new CallbackRejectedException("invalid_state", "This sign-in link is not valid. Please start connecting again.");
        }
        PendingAuthorization pending = states.consume(state).orElseThrow(() -> {
            log.warn("callback rejected: unknown or reused state");
            return new CallbackRejectedException("invalid_state", "This sign-in link is unknown or was already used. Please start connecting again.");
        });
        Duration age = Duration.between(pending.createdAt(), states.now());
        if (age.compareTo(maxAge) > 0) {
            OAuthLog.event(log, "connect.callback_rejected").provider(pending.provider()).user(pending.userId()).tools(pending.tools()).with("reason", "expired_state").with("ageSeconds", age.toSeconds()).warn("callback rejected: state expired");
            throw new CallbackRejectedException("expired_state", "This sign-in took longer than " + maxAge.toMinutes() + " minutes. Please start connecting again.");
        }
        Provider provider = catalog.provider(pending.provider());
        String iss = query.get("iss");
        if (iss != null && !iss.equals(expectedIssuer(provider))) {
            OAuthLog.event(log, "connect.callback_rejected").provider(provider.id()).user(pending.userId()).tools(pending.tools()).with("reason", "issuer_mismatch").warn("callback rejected: issuer mismatch");
            throw new CallbackRejectedException("issuer_mismatch", "The answer came from a different provider than the one you were sent to.");
        }
        String error = query.get("error");
        if (error != null && (AnswerRules.ADMIN_CONSENT_REQUIRED.equals(error) || provider.errors().needsAdminConsent(error, query.get("error_description")))) {
            OAuthLog.event(log, "connect.callback_error").provider(provider.id()).user(pending.userId()).tools(pending.tools()).with("error", AnswerRules.ADMIN_CONSENT_REQUIRED).info("callback: an administrator must consent first");
            throw new CallbackRejectedException(AnswerRules.ADMIN_CONSENT_REQUIRED, PROVIDER_ERRORS.get(AnswerRules.ADMIN_CONSENT_REQUIRED),
                    catalog.adminConsentBucket(provider.id()).map(Bucket::id).orElse(null));
        }
        if (error != null) {
            String code = PROVIDER_ERRORS.containsKey(error) ? error : "provider_error";
            OAuthLog.event(log, "connect.callback_error").provider(provider.id()).user(pending.userId()).tools(pending.tools()).with("error", code).info("callback: the provider returned an error");
            throw new CallbackRejectedException(code, PROVIDER_ERRORS.get(code));
        }
        String code = query.get("code");
        if (code == null || code.isBlank()) {
            throw new CallbackRejectedException("invalid_request", "The provider's answer carried no authorization code.");
        }
        return new CalledBack(pending, code);
    }

    /** The catalogue's {@code issuer}, else the origin of the authorization endpoint. */
    static String expectedIssuer(Provider provider) {
        if (provider.issuer() != null && !provider.issuer().isBlank()) {
            return provider.issuer();
        }
        URI uri = URI.create(provider.authorizeUrl());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static Map<String, String> query(String raw) {
        try {
            return FormEncoding.decode(raw, true);
        } catch (IllegalArgumentException e) {
            throw new CallbackRejectedException("invalid_request", "The provider's answer was malformed. Please start connecting again.");
        }
    }
}
