package dev.oauthbroker.refresh;

import static dev.oauthbroker.grant.InMemoryGrants.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.InMemoryGrantStore;
import dev.oauthbroker.grant.InMemoryGrantStore.Marked;
import dev.oauthbroker.grant.InMemoryGrantStore.Saved;
import dev.oauthbroker.grant.InMemoryGrants;
import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.provider.InvalidGrantException;
import dev.oauthbroker.provider.ProviderUnavailableException;
import dev.oauthbroker.provider.TransientProviderException;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link RefreshOutcomes} without Spring, database or HTTP: grants in memory at a fixed time. Every
 * write is fenced on the token version that was sent, so an outcome after someone else's refresh
 * uses their token and writes nothing.
 */
class RefreshOutcomesTests {

    private static final List<String> SCOPES = List.of("repo", "read:user");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryGrantStore grants = new InMemoryGrantStore(clock);
    private final RefreshOutcomes outcomes = new RefreshOutcomes(grants, clock);

    /** The grant as the refresh read it: version 1, refresh token {@code rt-SECRET}, due in a minute. */
    private final Grant sent = grants.put(InMemoryGrants.of("github", List.of("github"), SCOPES, Duration.ofMinutes(1), true));

    @Test
    void rotatedTokensAreWrittenFencedOnTheVersionSentAndTheStoredGrantAnswered() {
        TokenSet tokens = new TokenSet("at-SECRET-new", "rt-SECRET-new", "bearer", 28800L, SCOPES);

        RefreshResult result = persist(sent, tokens);

        assertThat(grants.saved()).containsExactly(new Saved(sent, tokens));
        assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
        assertThat(result.grant()).isEqualTo(grants.find(sent.id()).orElseThrow());
        assertThat(result.grant().tokenVersion()).isEqualTo(2);
        assertThat(result.grant().accessToken()).isEqualTo("at-SECRET-new");
        assertThat(result.grant().refreshToken()).isEqualTo("rt-SECRET-new");
        assertThat(result.grant().expiresAt()).isEqualTo(NOW.plusSeconds(28800));
        assertThat(result.grant().lastRefreshedAt()).isEqualTo(NOW);
    }

    @Test
    void anAnswerWithoutARefreshTokenIsWrittenAsSuchAndTheOldRefreshTokenKept() {
        TokenSet tokens = new TokenSet("at-SECRET-new", null, "Bearer", 3600L, List.of());

        RefreshResult result = persist(sent, tokens);

        // the outcome hands the store the answer as it came: keeping the old refresh token is the store's write (RFC 6749 §6)
        assertThat(grants.saved()).containsExactly(new Saved(sent, tokens));
        assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
        assertThat(result.grant().accessToken()).isEqualTo("at-SECRET-new");
        assertThat(result.grant().refreshToken()).isEqualTo("rt-SECRET");
        assertThat(result.grant().scopes()).isEqualTo(SCOPES);
        assertThat(result.grant().tokenVersion()).isEqualTo(2);
    }

    @Test
    void anAnswerWithNarrowedScopesIsWrittenWithThemAndTheAnsweredGrantCarriesThem() {
        TokenSet tokens = new TokenSet("at-SECRET-new", "rt-SECRET-new", "bearer", 28800L, List.of("repo"));

        RefreshResult result = persist(sent, tokens);

        assertThat(grants.saved()).containsExactly(new Saved(sent, tokens));
        assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
        assertThat(result.grant().scopes()).containsExactly("repo");
    }

    @Test
    void tokensOfARefreshThatLostTheRaceAreNotWrittenAndTheStoredNewerOnesAnswered() {
        Grant theirs = grants.put(InMemoryGrants.with(sent.withTokens("at-SECRET-theirs", "rt-SECRET-theirs"), 2, GrantStatus.active));

        RefreshResult result = persist(sent, new TokenSet("at-SECRET-mine", "rt-SECRET-mine", "bearer", 28800L, SCOPES));

        assertThat(result).isEqualTo(RefreshResult.alreadyFresh(theirs));
        assertThat(grants.saved()).isEmpty();
    }

    /**
     * Tokens issued to a grant disconnected meanwhile are not stored: {@code persist} answers
     * {@code DISCONNECTED_MEANWHILE} with them, for {@code refresh-locked} to revoke
     * ({@code refresh-revoke-issued}); after the revocation the caller learns the grant is gone.
     */
    @Test
    void tokensIssuedToAGrantDisconnectedMeanwhileAreHandedToTheRouteToRevoke() {
        grants.disconnect(sent.id());

        RefreshResult result = persist(sent, new TokenSet("at-SECRET-new", "rt-SECRET-new", "bearer", 28800L, SCOPES));

        assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.DISCONNECTED_MEANWHILE);
        assertThat(grants.saved()).isEmpty();
        Grant toRevoke = result.grant();
        assertThat(toRevoke.id()).isEqualTo(sent.id());
        assertThat(toRevoke.accessToken()).isEqualTo("at-SECRET-new");
        assertThat(toRevoke.refreshToken()).isEqualTo("rt-SECRET-new");
        assertThat(outcomes.revokedIssued(toRevoke, "revoked")).isEqualTo(RefreshResult.reauthRequired(toRevoke, "disconnected"));
    }

    @Test
    void invalidGrantMarksTheGrantForReauthorizationWithTheProvidersCode() {
        RefreshResult result = outcomes.reauthRequired(sent, new InvalidGrantException("bad_refresh_token"), null);

        assertThat(result).isEqualTo(RefreshResult.reauthRequired(sent, "bad_refresh_token"));
        assertThat(grants.reauthRequired()).containsExactly(new Marked(sent.id(), "bad_refresh_token"));
        Grant stored = grants.find(sent.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(GrantStatus.reauth_required);
        assertThat(stored.lastError()).isEqualTo("bad_refresh_token");
    }

    @Test
    void aDeadGrantAnswerAfterSomeoneElsesRefreshIsALostRaceNotADeadGrant() {
        Grant theirs = grants.put(InMemoryGrants.with(sent.withTokens("at-SECRET-theirs", "rt-SECRET-theirs"), 2, GrantStatus.active));

        RefreshResult result = outcomes.reauthRequired(sent, new InvalidGrantException("invalid_grant"), null);

        assertThat(result).isEqualTo(RefreshResult.alreadyFresh(theirs));
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(grants.find(sent.id()).orElseThrow().status()).isEqualTo(GrantStatus.active);
    }

    @Test
    void aFailureThatIsNoProviderAnswerIsNamedByItsClass() {
        assertThat(outcomes.reauthRequired(sent, new SocketTimeoutException("Read timed out"), null).reason())
                .isEqualTo("SocketTimeoutException");
        grants.put(sent);
        assertThat(outcomes.unavailable(sent, null, null).reason()).isEqualTo("unknown");
    }

    @Test
    void exhaustedRetriesRecordTheFailureAndLeaveTheGrantServing() {
        RefreshResult result = outcomes.unavailable(sent, new TransientProviderException("http_503", Duration.ofSeconds(30)), null);

        assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.UNAVAILABLE);
        assertThat(result.reason()).isEqualTo("http_503");
        assertThat(result.grant()).isEqualTo(sent);
        assertThat(grants.refreshFailures()).containsExactly(new Marked(sent.id(), "http_503"));
        assertThat(grants.reauthRequired()).isEmpty();
        Grant stored = grants.find(sent.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(GrantStatus.active);
        assertThat(stored.accessToken()).isEqualTo("at-SECRET");
        assertThat(stored.lastError()).isEqualTo("http_503");
    }

    @Test
    void exhaustedRetriesAfterSomeoneElsesRefreshAnswerTheirTokenAndRecordNothing() {
        Grant theirs = grants.put(InMemoryGrants.with(sent.withTokens("at-SECRET-theirs", null), 3, GrantStatus.active));

        assertThat(outcomes.unavailable(sent, new TransientProviderException("http_502", null), null))
                .isEqualTo(RefreshResult.alreadyFresh(theirs));
        assertThat(grants.refreshFailures()).isEmpty();
    }

    @Test
    void aCallTheCircuitBreakerRefusedWritesNothingAndPassesItsWaitOn() {
        RefreshResult result = outcomes.refused(sent, new ProviderUnavailableException("circuit_open", Duration.ofSeconds(12)));

        assertThat(result).isEqualTo(RefreshResult.unavailable(sent, "circuit_open", Duration.ofSeconds(12)));
        assertThat(grants.saved()).isEmpty();
        assertThat(grants.refreshFailures()).isEmpty();
        assertThat(grants.reauthRequired()).isEmpty();
        assertThat(grants.find(sent.id()).orElseThrow()).isEqualTo(sent);
    }

    /** Step {@code refresh-persist}, as the route calls it. */
    private RefreshResult persist(Grant sentGrant, TokenSet tokens) {
        return outcomes.persist(sentGrant, tokens, null);
    }
}
