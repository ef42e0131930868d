package dev.oauthbroker.validation;

import dev.oauthbroker.provider.IdentitySpec;

import static dev.oauthbroker.grant.InMemoryGrants.active;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.refresh.RefreshResult;
import dev.oauthbroker.validation.Verdict.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerdictTests {

    private static final Verdict IDENTITY = Verdict.of(Status.IDENTITY, null);

    @Test
    void identityAnswersAreReadByStatus() {
        assertThat(IdentityAnswer.of(IdentitySpec.Verdict.VALID, 200).kind()).isEqualTo(IdentityAnswer.Kind.ACCEPTED);
        assertThat(IdentityAnswer.of(IdentitySpec.Verdict.REJECTED, 401).kind()).isEqualTo(IdentityAnswer.Kind.REJECTED);
        assertThat(IdentityAnswer.of(IdentitySpec.Verdict.REJECTED, 200).kind()).isEqualTo(IdentityAnswer.Kind.REJECTED);
        assertThat(IdentityAnswer.of(IdentitySpec.Verdict.ERROR, 503)).isEqualTo(new IdentityAnswer(IdentityAnswer.Kind.FAILED, "identity_http_503"));
        assertThat(IdentityAnswer.of(IdentitySpec.Verdict.ERROR, 200).kind()).isEqualTo(IdentityAnswer.Kind.FAILED);
    }

    @Test
    void aRejectedTokenIsRefreshedOnceThenTheGrantIsDead() {
        IdentityAnswer rejected = IdentityAnswer.of(IdentitySpec.Verdict.REJECTED, 401);
        assertThat(Verdict.afterIdentity(rejected, true, false).status()).isEqualTo(Status.REFRESH);
        assertThat(Verdict.afterIdentity(rejected, true, true)).isEqualTo(Verdict.of(Status.REAUTH_REQUIRED, Verdict.IDENTITY_REJECTED));
        assertThat(Verdict.afterIdentity(rejected, false, false).status()).isEqualTo(Status.REAUTH_REQUIRED);
    }

    @Test
    void anAcceptedTokenIsValidAndAFailedCallIsAnError() {
        assertThat(Verdict.afterIdentity(IdentityAnswer.of(IdentitySpec.Verdict.VALID, 200), true, false).status()).isEqualTo(Status.VALID);
        assertThat(Verdict.afterIdentity(IdentityAnswer.of(IdentitySpec.Verdict.ERROR, 500), true, false)).isEqualTo(Verdict.of(Status.ERROR, "identity_http_500"));
    }

    @Test
    void aRefreshThatGaveATokenGoesOnToTheIdentityCall() {
        RefreshResult refreshed = RefreshResult.refreshed(active("acme", Duration.ofHours(1), true));
        assertThat(Verdict.afterRefresh(refreshed, IDENTITY)).isEqualTo(IDENTITY);
    }

    @Test
    void aRefreshWithoutTokenIsTheVerdict() {
        var grant = active("acme", Duration.ofSeconds(-1), true);
        assertThat(Verdict.afterRefresh(RefreshResult.reauthRequired(grant, "invalid_grant"), IDENTITY))
                .isEqualTo(Verdict.of(Status.REAUTH_REQUIRED, "invalid_grant"));
        assertThat(Verdict.afterRefresh(RefreshResult.unavailable(grant, "http_503"), IDENTITY))
                .isEqualTo(Verdict.of(Status.ERROR, "http_503"));
    }

    @Test
    void onlyStepsArePending() {
        assertThat(Verdict.of(Status.REFRESH, null).pending()).isTrue();
        assertThat(IDENTITY.pending()).isTrue();
        assertThat(Verdict.of(Status.VALID, null).pending()).isFalse();
    }
}
