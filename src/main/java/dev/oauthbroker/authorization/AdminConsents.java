package dev.oauthbroker.authorization;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.provider.AdminConsent;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.FormEncoding;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Admin consent (docs/token-lifecycle.md "Microsoft 365 and admin consent"): a signed-in user asks for a link to
 * forward to their organisation's administrator; the administrator consents at the provider for
 * everyone in the organisation, and the provider's answer ({@code ?admin_consent=True&tenant=…&state=…})
 * comes back to {@code /oauth/callback}, where the organisation's consent is recorded. The link asks
 * for everything the bucket's card and the provider's admin-only tools ask, so afterwards the
 * organisation's users connect with no admin prompt. The link's state is random, kept server-side
 * (hashed), single use and valid for {@code broker.state.admin-consent-max-age}; an unknown, used
 * or expired state records nothing.
 */
@Component("adminConsents")
public class AdminConsents {

    private static final Logger log = LoggerFactory.getLogger(AdminConsents.class);
    /** A tenant id as Microsoft sends it: a GUID or a domain name. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final ProviderCatalog catalog;
    private final JdbcAdminConsents store;
    private final BrokerProperties properties;
    private final Clock clock;
    private final Duration maxAge;

    public AdminConsents(ProviderCatalog catalog, JdbcAdminConsents store, BrokerProperties properties, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.maxAge = properties.state().adminConsentMaxAge();
    }

    /** Step {@code admin-consent-link} of {@code POST /api/buckets/{bucket}/admin-consent}: {@code {adminConsentUrl}}. */
    public Map<String, String> link(@Header("bucket") String bucketId, @ExchangeProperty(ExchangeProperties.USER_ID) String userId) {
        Bucket bucket = catalog.bucket(bucketId)
                .orElseThrow(() -> BrokerException.notFound("unknown_bucket", "no bucket named '" + clip(bucketId) + "'"));
        Provider provider = catalog.provider(bucket.provider());
        AdminConsent adminConsent = provider.adminConsent();
        if (adminConsent == null || adminConsent.url() == null) {
            throw new BrokerException(BrokerException.Kind.CONFLICT, "admin_consent_unsupported",
                    provider.displayName() + " has no admin-consent endpoint in the catalogue");
        }
        if (!provider.available()) {
            throw new BrokerException(BrokerException.Kind.CONFLICT, "provider_unavailable", provider.displayName() + " is not configured on this broker");
        }
        List<String> scopes = adminConsent.qualified(scopesOf(provider, bucket));
        String state = S256CodeChallenge.randomUrlSafe(32);
        Instant now = clock.instant();
        store.save(state, new AdminConsentRequest(userId, provider.id(), bucket.id(), scopes, now), now.minus(maxAge));
        String url = UriComponentsBuilder.fromUriString(adminConsent.url())
                .queryParam("client_id", provider.clientId())
                .queryParam("scope", String.join(" ", scopes))
                .queryParam("redirect_uri", properties.redirectUri())
                .queryParam("state", state)
                .encode().build().toUriString();
        OAuthLog.event(log, "admin_consent.link").provider(provider.id()).user(userId).with("bucket", bucket.id())
                .with("validForHours", maxAge.toHours()).info("admin-consent link issued");
        return Map.of("adminConsentUrl", url);
    }

    /**
     * What the administrator is asked to consent to: the provider's base scopes, every scope of the
     * bucket's tools and of the provider's tools that need admin consent (the opt-in ones too).
     */
    static List<String> scopesOf(Provider provider, Bucket bucket) {
        Set<String> scopes = new LinkedHashSet<>(provider.scopes());
        for (Tool tool : provider.tools()) {
            if (bucket.tools().contains(tool.id()) || provider.needsAdminConsent(tool)) {
                scopes.addAll(tool.scopes());
            }
        }
        return List.copyOf(scopes);
    }

    /**
     * The callback's dispatch ({@code callback} route): whether this answer is an administrator's,
     * i.e. it says {@code admin_consent} or its state is an admin-consent link's. Consumes nothing.
     */
    public boolean answers(@Header(Exchange.HTTP_QUERY) String rawQuery) {
        Map<String, String> query;
        try {
            query = FormEncoding.decode(rawQuery, true);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        String state = query.get("state");
        return query.containsKey("admin_consent") || (state != null && !state.isBlank() && state.length() <= 200 && store.isRequest(state));
    }

    /** Step {@code admin-consent-accept}: the checked answer of an administrator, to record. */
    public AdminConsentRecord accept(@Header(Exchange.HTTP_QUERY) String rawQuery) {
        Map<String, String> query;
        try {
            query = FormEncoding.decode(rawQuery, true);
        } catch (IllegalArgumentException e) {
            throw new CallbackRejectedException("invalid_request", "The provider's answer was malformed.");
        }
        String state = query.get("state");
        if (state == null || state.isBlank() || state.length() > 200) {
            throw new CallbackRejectedException("invalid_state", "This approval link is not valid. Ask for a new one.");
        }
        AdminConsentRequest request = store.consume(state).orElseThrow(() -> {
            log.warn("admin-consent answer rejected: unknown or reused state");
            return new CallbackRejectedException("invalid_state", "This approval link is unknown or was already used. Ask for a new one.");
        });
        Duration age = Duration.between(request.createdAt(), clock.instant());
        if (age.compareTo(maxAge) > 0) {
            OAuthLog.event(log, "admin_consent.rejected").provider(request.provider()).user(request.userId()).with("reason", "expired").with("ageHours", age.toHours()).warn("admin-consent answer rejected: link expired");
            throw new CallbackRejectedException("admin_consent_expired", "This approval link has expired. Ask for a new one.");
        }
        String error = query.get("error");
        if (error != null) {
            String code = "access_denied".equals(error) ? "admin_consent_declined" : "provider_error";
            OAuthLog.event(log, "admin_consent.rejected").provider(request.provider()).user(request.userId()).with("reason", code).info("admin consent not given");
            throw new CallbackRejectedException(code, "access_denied".equals(error)
                    ? "The administrator did not approve the application, so nothing changed."
                    : "The provider reported an error, so nothing was approved. Please try again.");
        }
        String tenant = query.get("tenant");
        if (!"true".equalsIgnoreCase(query.get("admin_consent")) || tenant == null || !TENANT.matcher(tenant).matches()) {
            OAuthLog.event(log, "admin_consent.rejected").provider(request.provider()).user(request.userId()).with("reason", "invalid_request").warn("admin-consent answer without consent or tenant");
            throw new CallbackRejectedException("invalid_request", "The provider's answer did not say that the administrator approved.");
        }
        return new AdminConsentRecord(request.provider(), tenant, grantedScopes(query.get("scope"), request.scopes()),
                request.userId(), clock.instant());
    }

    /** Step {@code admin-consent-record}: stores the organisation's consent; answers the bucket for the redirect. */
    public String record(@ExchangeProperty(ExchangeProperties.ADMIN_CONSENTED) AdminConsentRecord consent) {
        store.record(consent);
        OAuthLog.event(log, "admin_consent.granted").provider(consent.provider()).user(consent.requestedBy())
                .with("tenant", consent.tenant()).with("scopes", consent.scopes().size()).info("administrator consented for the organisation");
        return catalog.adminConsentBucket(consent.provider()).map(Bucket::id).orElse(null);
    }

    /** The organisations that consented at the provider (the CLI's {@code providers}). */
    public List<AdminConsentRecord> consentsAt(String provider) {
        return store.of(provider);
    }

    /** The answer's {@code scope} (what was granted) when well formed, else what was asked. */
    private static List<String> grantedScopes(String answered, List<String> asked) {
        if (answered == null || answered.isBlank()) {
            return asked;
        }
        List<String> scopes = Arrays.stream(answered.trim().split("\\s+")).toList();
        return scopes.size() <= 100 && scopes.stream().allMatch(s -> SCOPE.matcher(s).matches()) ? scopes : asked;
    }

    private static String clip(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.replaceAll("[^A-Za-z0-9_.-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) : safe;
    }
}
