package dev.oauthbroker.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.Dialect.RevocationStyle;
import org.junit.jupiter.api.Test;

class RevocationPlanTests {

    @Test
    void rfc7009RevokesTheRefreshTokenThenTheAccessToken() {
        assertThat(RevocationPlan.of(false, RevocationStyle.RFC7009, true))
                .isEqualTo(new RevocationPlan(RevocationPlan.Action.REVOKE, "refresh_token", "access_token"));
    }

    @Test
    void rfc7009WithoutRefreshTokenRevokesTheAccessTokenOnly() {
        assertThat(RevocationPlan.of(false, RevocationStyle.RFC7009, false))
                .isEqualTo(new RevocationPlan(RevocationPlan.Action.REVOKE, "access_token", null));
    }

    @Test
    void providersOwnStylesSendOneRequest() {
        assertThat(RevocationPlan.of(false, RevocationStyle.GITHUB_GRANT, true).second()).isNull();
        assertThat(RevocationPlan.of(false, RevocationStyle.SLACK_AUTH_REVOKE, true).second()).isNull();
    }

    @Test
    void nothingIsSentWithoutAnEndpointOrReadableTokens() {
        assertThat(RevocationPlan.of(false, RevocationStyle.NONE, true).outcome(false)).isEqualTo("unsupported");
        assertThat(RevocationPlan.of(true, RevocationStyle.RFC7009, true).outcome(false)).isEqualTo("skipped");
    }

    @Test
    void theOutcomeIsFailedWhenARequestFailed() {
        RevocationPlan plan = RevocationPlan.of(false, RevocationStyle.RFC7009, true);
        assertThat(plan.outcome(false)).isEqualTo("revoked");
        assertThat(plan.outcome(true)).isEqualTo("failed");
    }
}
