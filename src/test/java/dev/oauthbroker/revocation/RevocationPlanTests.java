package dev.oauthbroker.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationPlanTests {

    private static final List<String> RFC7009 = List.of("refresh_token", "access_token");

    @Test
    void rfc7009RevokesTheRefreshTokenThenTheAccessToken() {
        assertThat(RevocationPlan.of(false, RFC7009))
                .isEqualTo(new RevocationPlan(RevocationPlan.Action.REVOKE, "refresh_token", "access_token"));
    }

    @Test
    void withOneTokenToSendThereIsOneRequest() {
        assertThat(RevocationPlan.of(false, List.of("access_token")))
                .isEqualTo(new RevocationPlan(RevocationPlan.Action.REVOKE, "access_token", null));
    }

    @Test
    void nothingIsSentWithoutARevocationOrReadableTokens() {
        assertThat(RevocationPlan.of(false, null).outcome(false)).isEqualTo("unsupported");
        assertThat(RevocationPlan.of(false, List.of()).outcome(false)).isEqualTo("unsupported");
        assertThat(RevocationPlan.of(true, RFC7009).outcome(false)).isEqualTo("skipped");
    }

    @Test
    void theOutcomeIsFailedWhenARequestFailed() {
        RevocationPlan plan = RevocationPlan.of(false, RFC7009);
        assertThat(plan.outcome(false)).isEqualTo("revoked");
        assertThat(plan.outcome(true)).isEqualTo("failed");
    }
}
