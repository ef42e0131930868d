package dev.oauthbroker.validation;

import static dev.oauthbroker.grant.InMemoryGrants.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.BrokerPropertiesTests;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.InMemoryGrantStore;
import dev.oauthbroker.grant.InMemoryGrantStore.Marked;
import dev.oauthbroker.grant.InMemoryGrants;
import dev.oauthbroker.grant.RefreshTiming;
import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.ProviderUnavailableException;
import dev.oauthbroker.provider.ShippedProviders;
import dev.oauthbroker.refresh.RefreshResult;
import dev.oauthbroker.resilience.InMemoryProviderHealth;
import dev.oauthbroker.resilience.ProviderGuards;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.validation.Verdict.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Validations} without Spring, database or HTTP: the shipped catalogue, grants in memory, the
 * providers' circuit breakers in memory, a proactive-refresh margin of 5 minutes and a fixed clock.
 * The identity endpoint's answers are those the providers give (a 2xx, 401, Slack's {@code ok:false}, a 5xx).
 */
class ValidationsTests {

    private static final List<String> GITHUB_SCOPES = List.of("repo", "read:user");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final BrokerProperties properties = BrokerPropertiesTests.properties(Map.of("broker.refresh.buffer", "5m"));
    private final InMemoryGrantStore grants = new InMemoryGrantStore(clock);
    private final InMemoryProviderHealth health = new InMemoryProviderHealth();
    private final ProviderGuards guards = new ProviderGuards(health, clock, properties);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Validations validations = validations(ShippedProviders.catalog());

    @Test
    void aValidGrantNotDueForRefreshGoesToTheIdentityEndpoint() {
        assertThat(validations.begin(github(Duration.ofHours(1), true))).isEqualTo(new Verdict(Status.IDENTITY, null));
    }

    @Test
    void aGrantDueForRefreshIsRefreshedFirstWhenItHasARefreshToken() {
        assertThat(validations.begin(github(Duration.ofMinutes(5), true))).isEqualTo(new Verdict(Status.REFRESH, null));
        assertThat(validations.begin(github(Duration.ofMinutes(5).plusMillis(1), true))).isEqualTo(new Verdict(Status.IDENTITY, null));
        assertThat(validations.begin(github(Duration.ofMinutes(5), false))).isEqualTo(new Verdict(Status.IDENTITY, null));
    }

    @Test
    void aDeadGrantIsConcludedAtOnceWithItsReason() {
        Grant dead = InMemoryGrants.with(github(Duration.ofHours(1), true), 1, GrantStatus.reauth_required);

        assertThat(validations.begin(dead)).isEqualTo(new Verdict(Status.REAUTH_REQUIRED, "invalid_grant"));
    }

    @Test
    void aGrantWhoseProviderLeftTheCatalogueIsNotCalledAndKeptAsItIs() {
        Grant gone = InMemoryGrants.of("gitlab", List.of("gitlab"), List.of("read_user"), Duration.ofMinutes(1), true);

        assertThat(validations.begin(gone)).isEqualTo(new Verdict(Status.ERROR, "provider_not_in_catalogue"));
    }

    @Test
    void whileTheProvidersBreakerIsOpenTheIdentityEndpointIsNotCalled() {
        guards.breakers().circuitBreaker("github").transitionToOpenState();

        assertThat(validations.begin(github(Duration.ofHours(1), true))).isEqualTo(new Verdict(Status.ERROR, "circuit_open"));
        assertThat(validations.afterRefresh(RefreshResult.refreshed(github(Duration.ofHours(8), true)), github(Duration.ofHours(8), true)))
                .isEqualTo(new Verdict(Status.ERROR, "circuit_open"));
        // another provider's breaker is its own
        assertThat(validations.begin(InMemoryGrants.of("zoom", List.of("zoom"), List.of(), Duration.ofHours(1), true)))
                .isEqualTo(new Verdict(Status.IDENTITY, null));
        assertThat(health.changes()).extracting(c -> c.provider() + ":" + c.state()).containsExactly("github:OPEN");
    }

    @Test
    void aProviderWithoutAnIdentityEndpointIsValidOnceATokenWasObtained() {
        Validations withoutIdentity = validations(withoutIdentity("figma"));
        Grant figma = InMemoryGrants.of("figma", List.of("figma"), List.of("file_content:read", "current_user:read"), Duration.ofHours(1), true);

        assertThat(withoutIdentity.begin(figma)).isEqualTo(new Verdict(Status.VALID, "no identity endpoint; token obtained"));
        assertThat(withoutIdentity.afterRefresh(RefreshResult.refreshed(figma), figma))
                .isEqualTo(new Verdict(Status.VALID, "no identity endpoint; token obtained"));
    }

    @Test
    void theIdentityRequestIsTheCataloguesWithTheAccessTokenAsBearer() {
        ProviderRequest request = validations.identityRequest(github(Duration.ofHours(1), true));

        assertThat(request).usingRecursiveComparison().isEqualTo(new ProviderRequest("github", ProviderRequest.Purpose.IDENTITY, "GET",
                "https://api.github.com/user", Map.of("Authorization", "Bearer at-SECRET", "Accept", "application/json"), null));
        assertThat(request.toString()).doesNotContain("SECRET");
    }

    @Test
    void eachProvidersIdentityAnswerIsJudgedByItsCatalogueEntry() {
        assertThat(judge("github", 200, "{\"login\":\"octocat\"}")).isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.ACCEPTED, null));
        assertThat(judge("github", 401, "{\"message\":\"Bad credentials\"}")).isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.REJECTED, null));
        assertThat(judge("github", 403, "{\"message\":\"rate limit\"}"))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "identity_http_403"));
        assertThat(judge("github", 503, "<html>unavailable</html>"))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "identity_http_503"));
        assertThat(judge("slack", 200, "{\"ok\":true,\"user_id\":\"U1\"}")).isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.ACCEPTED, null));
        assertThat(judge("slack", 200, "{\"ok\":false,\"error\":\"token_revoked\"}"))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.REJECTED, null));
        assertThat(judge("slack", 200, "{\"ok\":false,\"error\":\"ratelimited\"}"))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "identity_http_200"));
    }

    @Test
    void aRejectedTokenIsRefreshedOnceThenTheGrantIsDead() {
        IdentityAnswer rejected = new IdentityAnswer(IdentityAnswer.Kind.REJECTED, null);

        assertThat(validations.afterIdentity(rejected, github(Duration.ofHours(1), true), null)).isEqualTo(new Verdict(Status.REFRESH, null));
        assertThat(validations.afterIdentity(rejected, github(Duration.ofHours(1), true), true))
                .isEqualTo(new Verdict(Status.REAUTH_REQUIRED, "identity_rejected"));
        assertThat(validations.afterIdentity(rejected, github(Duration.ofHours(1), false), false))
                .isEqualTo(new Verdict(Status.REAUTH_REQUIRED, "identity_rejected"));
        assertThat(validations.afterIdentity(new IdentityAnswer(IdentityAnswer.Kind.ACCEPTED, null), github(Duration.ofHours(1), true), true))
                .isEqualTo(new Verdict(Status.VALID, null));
    }

    @Test
    void aRefreshEndsTheValidationOrGoesOnToTheIdentityEndpoint() {
        Grant grant = github(Duration.ofMinutes(1), true);
        Grant fresh = github(Duration.ofHours(8), true);

        assertThat(validations.afterRefresh(RefreshResult.refreshed(fresh), fresh)).isEqualTo(new Verdict(Status.IDENTITY, null));
        assertThat(validations.afterRefresh(RefreshResult.alreadyFresh(fresh), fresh)).isEqualTo(new Verdict(Status.IDENTITY, null));
        assertThat(validations.afterRefresh(RefreshResult.reauthRequired(grant, "bad_refresh_token"), grant))
                .isEqualTo(new Verdict(Status.REAUTH_REQUIRED, "bad_refresh_token"));
        assertThat(validations.afterRefresh(RefreshResult.unavailable(grant, "http_503"), grant))
                .isEqualTo(new Verdict(Status.ERROR, "http_503"));
    }

    @Test
    void anIdentityEndpointThatCannotBeAskedSaysNothingOfTheGrant() {
        assertThat(validations.unreachable(new ProviderUnavailableException("circuit_open", Duration.ofSeconds(3))))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "circuit_open"));
        assertThat(validations.unreachable(new SocketTimeoutException("Read timed out")))
                .isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "identity_unreachable"));
    }

    @Test
    void aValidGrantIsRecordedValidatedAndEachOfItsToolsConnected() {
        Grant grant = grants.put(github(Duration.ofHours(1), true));

        List<Map<String, Object>> results = validations.conclude(grant, new Verdict(Status.VALID, null), null, null);

        assertThat(results).containsExactly(result("github", true, "connected", null, false));
        assertThat(grants.validated()).containsExactly(grant.id());
        assertThat(grants.find(grant.id()).orElseThrow().lastValidatedAt()).isEqualTo(NOW);
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(validationsCounted("github", "valid")).isEqualTo(1.0);
        assertThat(validations.concluded()).isEqualTo(1);
    }

    @Test
    void aValidGrantLackingSomeToolsScopesLeavesThoseToolsMissingScopes() {
        Grant grant = grants.put(InMemoryGrants.of("atlassian", List.of("confluence", "jira"),
                List.of("offline_access", "read:jira-work", "read:jira-user", "read:confluence-content.all"), Duration.ofHours(1), true));

        List<Map<String, Object>> results = validations.conclude(grant, new Verdict(Status.VALID, null), true, null);

        assertThat(results).containsExactly(
                result("confluence", false, "missing_scopes", "missing_scopes", true),
                result("jira", true, "connected", null, true));
        // the grant itself works: validated, not marked
        assertThat(grants.validated()).containsExactly(grant.id());
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(validationsCounted("atlassian", "valid")).isEqualTo(1.0);
    }

    @Test
    void aTokenRejectedAfterARefreshMarksTheGrantForReauthorization() {
        Grant grant = grants.put(github(Duration.ofHours(8), true));

        List<Map<String, Object>> results = validations.conclude(grant, new Verdict(Status.REAUTH_REQUIRED, "identity_rejected"), true, null);

        assertThat(results).containsExactly(result("github", false, "reauth_required", "identity_rejected", true));
        assertThat(grants.reauthRequired()).containsExactly(new Marked(grant.id(), "identity_rejected"));
        assertThat(grants.validated()).isEmpty();
        assertThat(validationsCounted("github", "reauth_required")).isEqualTo(1.0);
    }

    @Test
    void aGrantTheRefreshFoundDeadIsReportedButNotMarkedAgain() {
        // the refresh's own outcome marks the grant (RefreshOutcomes): only the identity endpoint's rejection is this step's to write
        Grant grant = grants.put(github(Duration.ofMinutes(1), true));

        List<Map<String, Object>> results = validations.conclude(grant, new Verdict(Status.REAUTH_REQUIRED, "invalid_grant"), null, null);

        assertThat(results).containsExactly(result("github", false, "reauth_required", "invalid_grant", false));
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(grants.validated()).isEmpty();
    }

    @Test
    void aTransientFailureWritesNothingAndReportsAnError() {
        Grant grant = grants.put(github(Duration.ofHours(1), true));

        List<Map<String, Object>> results = validations.conclude(grant, new Verdict(Status.ERROR, "identity_http_503"), false, null);

        assertThat(results).containsExactly(result("github", false, "error", "identity_http_503", false));
        assertThat(grants.validated()).isEmpty();
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(grants.find(grant.id()).orElseThrow()).isEqualTo(grant);
        assertThat(validationsCounted("github", "error")).isEqualTo(1.0);
        assertThat(validationsCounted("github", "valid")).isZero();
    }

    @Test
    void theResultsOfEveryGrantAreOneListSortedByTool() {
        Map<String, Object> slack = result("slack", true, "connected", null, false);
        Map<String, Object> github = result("github", false, "error", "circuit_open", false);
        Map<String, Object> zoom = result("zoom", true, "connected", null, true);

        assertThat(validations.collect(List.of(List.of(slack, zoom), List.of(github))))
                .isEqualTo(Map.of("results", List.of(github, slack, zoom)));
        assertThat(validations.collect(null)).isEqualTo(Map.of("results", List.of()));
    }

    private IdentityAnswer judge(String provider, int status, String body) {
        Grant grant = InMemoryGrants.of(provider, List.of(provider), List.of(), Duration.ofHours(1), true);
        return validations.judge(status, body, validations.identityRequest(grant), grant);
    }

    private double validationsCounted(String provider, String verdict) {
        var counter = registry.find("broker.validations").tag("provider", provider).tag("verdict", verdict).counter();
        return counter == null ? 0 : counter.count();
    }

    private Validations validations(ProviderCatalog catalog) {
        return new Validations(grants, catalog, new RefreshTiming(catalog, properties), guards, clock, new BrokerMetrics(registry));
    }

    private static Grant github(Duration expiresIn, boolean refreshToken) {
        return InMemoryGrants.of("github", List.of("github"), GITHUB_SCOPES, expiresIn, refreshToken);
    }

    private static Map<String, Object> result(String tool, boolean valid, String status, String reason, boolean refreshed) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("toolType", tool);
        result.put("valid", valid);
        result.put("status", status);
        result.put("reason", reason);
        result.put("refreshed", refreshed);
        return result;
    }

    /** The shipped catalogue with {@code providerId}'s identity check left out (none of the shipped providers lacks one). */
    private static ProviderCatalog withoutIdentity(String providerId) {
        Map<String, Provider> providers = new LinkedHashMap<>();
        for (Provider p : ShippedProviders.catalog().providers()) {
            providers.put(p.id(), !p.id().equals(providerId) ? p : new Provider(p.id(), p.displayName(), p.authorizeUrl(), p.tokenUrl(),
                    p.refreshUrl(), p.revocation(), null, p.errors(), p.tokenFields(), p.issuer(), p.clientId(), p.clientSecret(),
                    p.clientAuth(), p.pkce(), p.scopes(), p.scopeParameter(), p.scopeDelimiter(), p.authorizeParams(),
                    p.refreshTokenRotation(), p.refreshTokenReuseLeeway(), p.replayAfterTimeout(), p.refreshBuffer(),
                    p.refreshConcurrency(), p.tools(), p.credentialVariables(), p.adminConsent()));
        }
        return new ProviderCatalog(providers, Map.of());
    }
}
