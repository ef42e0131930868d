package dev.oauthbroker.refresh;

import static dev.oauthbroker.grant.InMemoryGrants.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.BrokerPropertiesTests;
import dev.oauthbroker.cache.GrantCache;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.InMemoryGrantStore;
import dev.oauthbroker.grant.InMemoryGrants;
import dev.oauthbroker.grant.RefreshTiming;
import dev.oauthbroker.metrics.TokenCacheMetrics;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.ShippedProviders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;


/**
 * {@link TokenAccess} without Spring, database or HTTP: the shipped catalogue, grants in memory, the
 * token cache off, a proactive-refresh margin of 5 minutes ({@code broker.refresh.buffer}) and a fixed clock.
 */
class TokenAccessTests {

    private static final Duration MARGIN = Duration.ofMinutes(5);
    private static final List<String> GITHUB_SCOPES = List.of("repo", "read:user");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ProviderCatalog catalog = ShippedProviders.catalog();
    private final InMemoryGrantStore grants = new InMemoryGrantStore(clock);
    private final TokenAccess access = new TokenAccess(grants, catalog,
            new RefreshTiming(catalog, BrokerPropertiesTests.properties(Map.of("broker.refresh.buffer", "5m"))), clock,
            new GrantCache(0, null, List.of(), new TokenCacheMetrics(new SimpleMeterRegistry())));

    @Test
    void aValidTokenIsServedAsStoredWithoutARefresh() {
        Grant stored = grants.put(github(Duration.ofHours(1), true));

        Grant loaded = access.load("u1", "github");

        assertThat(loaded).isEqualTo(stored);
        assertThat(access.refreshFirst(loaded, null)).isFalse();
        assertThat(access.current(loaded, "github")).isSameAs(loaded);
        assertThat(access.answer(loaded, "github"))
                .isEqualTo(new AccessToken("at-SECRET", "Bearer", NOW.plus(Duration.ofHours(1)), GITHUB_SCOPES));
        assertThat(access.answersFromMemory(loaded)).isTrue();
    }

    @Test
    void aTokenIsDueForRefreshExactlyAtTheMarginBeforeItsExpiry() {
        Grant atTheMargin = github(MARGIN, true);
        Grant justOutside = github(MARGIN.plusMillis(1), true);

        assertThat(access.refreshFirst(atTheMargin, null)).isTrue();
        assertThat(access.answersFromMemory(atTheMargin)).isFalse();
        assertThat(access.refreshFirst(justOutside, null)).isFalse();
        assertThat(access.answersFromMemory(justOutside)).isTrue();
    }

    @Test
    void aForcedRefreshHappensWhenNotDueButNeverWithoutARefreshToken() {
        assertThat(access.refreshFirst(github(Duration.ofHours(1), true), "true")).isTrue();
        assertThat(access.refreshFirst(github(Duration.ofHours(1), false), "true")).isFalse();
        assertThat(access.refreshFirst(github(Duration.ofMinutes(1), false), null)).isFalse();
    }

    @Test
    void theForceRefreshParameterIsTrueInAnyCaseAndNothingElse() {
        assertThat(TokenAccess.forced("true")).isTrue();
        assertThat(TokenAccess.forced("TRUE")).isTrue();
        assertThat(TokenAccess.forced("1")).isFalse();
        assertThat(TokenAccess.forced("yes")).isFalse();
        assertThat(TokenAccess.forced(null)).isFalse();
    }

    @Test
    void aGrantNeedingReauthorizationIsThe409WithItsReason() {
        grants.put(InMemoryGrants.with(github(Duration.ofHours(1), true), 1, GrantStatus.reauth_required));

        BrokerException refused = refusal(() -> access.load("u1", "github"));

        assertRefusal(refused, BrokerException.Kind.CONFLICT, "reauth_required", "the user must reconnect github (invalid_grant)");
    }

    @Test
    void aGrantLackingSomeOfTheToolsScopesIsMissingScopesWithTheList() {
        grants.put(InMemoryGrants.of("atlassian", List.of("jira", "confluence"),
                List.of("offline_access", "read:jira-work", "read:jira-user", "read:confluence-content.all"), Duration.ofHours(1), true));

        BrokerException refused = refusal(() -> access.load("u1", "confluence"));

        assertRefusal(refused, BrokerException.Kind.CONFLICT, "missing_scopes",
                "the user has not granted every scope confluence needs; they can grant them with Grant access");
        assertThat(refused.details()).isEqualTo(Map.of("missing", List.of("read:confluence-space.summary")));
        // the sibling tool of the same grant has every scope it needs
        assertThat(access.load("u1", "jira").provider()).isEqualTo("atlassian");
    }

    @Test
    void aRefreshThatNarrowedTheGrantBelowTheToolsScopesAnswersMissingScopes() {
        Grant narrowed = InMemoryGrants.of("github", List.of("github"), List.of("repo"), Duration.ofHours(8), true);

        BrokerException refused = refusal(() -> access.answer(narrowed, "github"));

        assertThat(refused.error()).isEqualTo("missing_scopes");
        assertThat(refused.details()).isEqualTo(Map.of("missing", List.of("read:user")));
    }

    @Test
    void aGrantWhoseGrantedScopesWereNeverRecordedLacksNothing() {
        Grant unrecorded = grants.put(InMemoryGrants.of("github", List.of("github"), List.of(), Duration.ofHours(1), true));

        assertThat(access.load("u1", "github")).isEqualTo(unrecorded);
        assertThat(access.answer(unrecorded, "github").accessToken()).isEqualTo("at-SECRET");
    }

    @Test
    void anUnknownToolAndAToolNotConnectedAre404s() {
        grants.put(github(Duration.ofHours(1), true));

        assertRefusal(refusal(() -> access.load("u1", "gitlab")), BrokerException.Kind.NOT_FOUND, "unknown_tool", "no such tool");
        assertRefusal(refusal(() -> access.load("u1", "zoom")), BrokerException.Kind.NOT_FOUND, "not_connected",
                "the user has not connected zoom");
        assertRefusal(refusal(() -> access.load("u2", "github")), BrokerException.Kind.NOT_FOUND, "not_connected",
                "the user has not connected github");
    }

    @Test
    void anExpiredTokenWithoutARefreshTokenNeedsReauthorizationFromItsExpiryOn() {
        Grant expiringNow = github(Duration.ZERO, false);
        Grant expiringSoon = github(Duration.ofMillis(1), false);

        assertRefusal(refusal(() -> access.current(expiringNow, "github")), BrokerException.Kind.CONFLICT, "reauth_required",
                "the user must reconnect github (expired_without_refresh_token)");
        assertThat(access.current(expiringSoon, "github")).isSameAs(expiringSoon);
    }

    @Test
    void aFailedProactiveRefreshServesTheStillValidTokenButAForcedOneIsThe503WithRetryAfter() {
        Grant valid = github(Duration.ofMinutes(2), true);
        RefreshResult failed = RefreshResult.unavailable(valid, "http_503", Duration.ofSeconds(30));

        assertThat(access.stillValid(failed, valid, "github", null)).isSameAs(valid);

        BrokerException forced = refusal(() -> access.stillValid(failed, valid, "github", "true"));
        assertRefusal(forced, BrokerException.Kind.UNAVAILABLE, "provider_unavailable",
                "the provider could not refresh the token (http_503); try again later");
        assertThat(forced.retryAfter()).isEqualTo(Duration.ofSeconds(30));

        Grant expired = github(Duration.ZERO, true);
        assertThat(refusal(() -> access.stillValid(failed, expired, "github", null)).error()).isEqualTo("provider_unavailable");
    }

    @Test
    void aDeadRefreshIsThe409AndADisconnectMeanwhileThe404() {
        Grant grant = github(Duration.ofMinutes(1), true);

        assertRefusal(refusal(() -> access.reauthRequired(RefreshResult.reauthRequired(grant, "bad_refresh_token"), "github")),
                BrokerException.Kind.CONFLICT, "reauth_required", "the user must reconnect github (bad_refresh_token)");
        assertRefusal(refusal(() -> access.reauthRequired(RefreshResult.reauthRequired(grant, "disconnected"), "github")),
                BrokerException.Kind.NOT_FOUND, "not_connected", "the user disconnected github");
    }

    @Test
    void theExchangeAnswerCountsExpiresInFromTheClock() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("access_token", "at-SECRET");
        expected.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
        expected.put("token_type", "Bearer");
        expected.put("expires_in", 3599L);
        expected.put("scope", "repo read:user");

        assertThat(access.exchanged(new AccessToken("at-SECRET", "Bearer", NOW.plusSeconds(3599).plusMillis(999), GITHUB_SCOPES)))
                .containsExactlyEntriesOf(expected);
        assertThat(access.exchanged(new AccessToken("at-SECRET", "Bearer", NOW.minusSeconds(5), GITHUB_SCOPES)).get("expires_in"))
                .isEqualTo(0L);
        assertThat(access.exchanged(new AccessToken("at-SECRET", "Bearer", null, List.of()))).doesNotContainKey("expires_in")
                .containsEntry("scope", "");
    }

    @Test
    void withTheCacheOffNothingIsAnsweredFromMemory() {
        grants.put(github(Duration.ofHours(1), true));

        assertThat(access.cached("u1", "github", null)).isNull();
        assertThat(access.cached("u1", "github", "true")).isNull();
    }

    @Test
    void onlyAnActiveDecryptableGrantIsKeptInMemory() {
        Grant active = github(Duration.ofHours(1), true);
        Grant dead = InMemoryGrants.with(active, 1, GrantStatus.reauth_required);
        Grant undecryptable = new Grant(active.id(), "u1", "github", GrantStatus.active, null, null, "Bearer", GITHUB_SCOPES,
                active.expiresAt(), 1, active.connectedAt(), null, null, null, List.of("github"), true);

        assertThat(access.answersFromMemory(active)).isTrue();
        assertThat(access.answersFromMemory(dead)).isFalse();
        assertThat(access.answersFromMemory(undecryptable)).isFalse();
        assertThat(access.answersFromMemory(github(Duration.ZERO, false))).isFalse();
    }

    @Test
    void noRefusalMessageCarriesAToken() {
        grants.put(InMemoryGrants.with(github(Duration.ofHours(1), true), 1, GrantStatus.reauth_required));
        Grant narrowed = InMemoryGrants.of("github", List.of("github"), List.of("repo"), Duration.ZERO, false);

        assertThat(List.of(refusal(() -> access.load("u1", "github")), refusal(() -> access.answer(narrowed, "github")),
                refusal(() -> access.current(narrowed, "github"))))
                .allSatisfy(refused -> assertThat(refused.getMessage() + refused.details()).doesNotContain("SECRET"));
    }

    /** The github grant of u1 with the tool's scopes, expiring {@code expiresIn} from now (issued an hour before). */
    private static Grant github(Duration expiresIn, boolean refreshToken) {
        return InMemoryGrants.of("github", List.of("github"), GITHUB_SCOPES, expiresIn, refreshToken);
    }

    private static BrokerException refusal(ThrowingCallable step) {
        return catchThrowableOfType(BrokerException.class, step);
    }

    private static void assertRefusal(BrokerException refused, BrokerException.Kind kind, String error, String message) {
        assertThat(refused).isNotNull();
        assertThat(refused.kind()).isEqualTo(kind);
        assertThat(refused.error()).isEqualTo(error);
        assertThat(refused.getMessage()).isEqualTo(message);
    }
}
