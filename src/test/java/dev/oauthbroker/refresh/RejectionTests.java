package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compare of compare-and-refresh, on a fixed clock: no Spring, no database. */
class RejectionTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final ReportedToken REPORTED = ReportedToken.parse("{\"accessToken\":\"at-SECRET-1\"}");

    @Test
    void aTokenAlreadyReplacedIsNoNewsAndAnswersTheCurrentOne() {
        Rejection rejection = Rejection.of(grant("at-SECRET-2", true, CLOCK.instant().minusSeconds(1)), REPORTED, CLOCK.instant(), GRACE);
        assertThat(rejection.outcome()).isEqualTo(Rejection.Outcome.REPLACED);
        assertThat(rejection.news()).isFalse();
    }

    @Test
    void theStoredTokenIssuedBeforeTheGraceIsRefreshed() {
        Rejection rejection = Rejection.of(grant("at-SECRET-1", true, CLOCK.instant().minus(GRACE)), REPORTED, CLOCK.instant(), GRACE);
        assertThat(rejection.outcome()).isEqualTo(Rejection.Outcome.REFRESH);
        assertThat(rejection.news()).isTrue();
        assertThat(rejection.detail()).isEqualTo("refreshing");
    }

    @Test
    void theStoredTokenIssuedWithinTheGraceIsNotRefreshedAgain() {
        Rejection rejection = Rejection.of(grant("at-SECRET-1", true, CLOCK.instant().minusMillis(2500)), REPORTED, CLOCK.instant(), GRACE);
        assertThat(rejection.outcome()).isEqualTo(Rejection.Outcome.JUST_ISSUED);
        assertThat(rejection.issuedAgo()).isEqualTo(Duration.ofMillis(2500));
        assertThat(rejection.detail()).isEqualTo("issued 2.5s ago, within the grace of 10.0s: not refreshed");
    }

    @Test
    void theLastRefreshNotTheConnectionSaysWhenTheTokenWasIssued() {
        Grant refreshedJustNow = new Grant(UUID.randomUUID(), "u1", "google", GrantStatus.active, "at-SECRET-1", "rt-SECRET", "Bearer",
                List.of(), null, 2, CLOCK.instant().minus(Duration.ofDays(3)), CLOCK.instant().minusSeconds(1), null, null, List.of("gmail"), false);
        assertThat(Rejection.of(refreshedJustNow, REPORTED, CLOCK.instant(), GRACE).outcome()).isEqualTo(Rejection.Outcome.JUST_ISSUED);
        assertThat(Rejection.of(refreshedJustNow, REPORTED, CLOCK.instant(), Duration.ZERO).outcome())
                .as("a grace of 0 turns the loop guard off").isEqualTo(Rejection.Outcome.REFRESH);
    }

    @Test
    void theStoredTokenWithoutARefreshTokenNeedsANewConsent() {
        Rejection rejection = Rejection.of(grant("at-SECRET-1", false, CLOCK.instant().minus(Duration.ofHours(1))), REPORTED, CLOCK.instant(), GRACE);
        assertThat(rejection.outcome()).isEqualTo(Rejection.Outcome.NO_REFRESH_TOKEN);
        assertThat(rejection.detail()).isEqualTo("no refresh token: reauth_required");
    }

    @Test
    void aJustConnectedTokenWithoutARefreshTokenIsGuardedNotMarkedDead() {
        Rejection rejection = Rejection.of(grant("at-SECRET-1", false, CLOCK.instant()), REPORTED, CLOCK.instant(), GRACE);
        assertThat(rejection.outcome()).isEqualTo(Rejection.Outcome.JUST_ISSUED);
    }

    @Test
    void anUndecryptableGrantNeverMatches() {
        assertThat(REPORTED.matches(null)).isFalse();
        assertThat(REPORTED.matches("at-SECRET-1")).isTrue();
        assertThat(REPORTED.matches("at-SECRET-10")).isFalse();
    }

    @Test
    void theReportedTokenNeverShowsInItsText() {
        assertThat(REPORTED.toString()).doesNotContain("SECRET");
        assertThat(Rejection.of(grant("at-SECRET-1", true, CLOCK.instant().minusSeconds(60)), REPORTED, CLOCK.instant(), GRACE).toString())
                .doesNotContain("SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not json", "[\"at\"]", "\"at\"", "{}", "{\"accessToken\":\"\"}", "{\"accessToken\":\"  \"}",
            "{\"accessToken\":42}", "{\"accessToken\":null}", "{\"accessToken\":[\"at\"]}", "{\"access_token\":\"at\"}", "{\"accessToken\":\"at\""})
    void aBodyThatIsNotJsonWithAnAccessTokenIsInvalid(String body) {
        assertThatThrownBy(() -> ReportedToken.parse(body)).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.kind()).isEqualTo(BrokerException.Kind.INVALID);
            assertThat(e.error()).isEqualTo("invalid_request");
        });
    }

    @Test
    void anAccessTokenOverTheLimitIsInvalid() {
        String longest = "x".repeat(ReportedToken.MAX_LENGTH);
        assertThat(ReportedToken.parse("{\"accessToken\":\"" + longest + "\"}").matches(longest)).isTrue();
        assertThatThrownBy(() -> ReportedToken.parse("{\"accessToken\":\"" + longest + "x\"}"))
                .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.getMessage()).doesNotContain("xxx"));
    }

    private static Grant grant(String accessToken, boolean refreshToken, Instant connectedAt) {
        return new Grant(UUID.randomUUID(), "u1", "atlassian", GrantStatus.active, accessToken, refreshToken ? "rt-SECRET" : null, "Bearer",
                List.of("read"), connectedAt.plus(Duration.ofHours(1)), 1, connectedAt, null, null, null, List.of("jira"), false);
    }
}
