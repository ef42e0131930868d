package dev.oauthbroker.refresh;

import static dev.oauthbroker.grant.InMemoryGrants.active;
import static dev.oauthbroker.grant.InMemoryGrants.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshPlanTests {

    private final Grant seen = active("acme", Duration.ofSeconds(-10), true);

    @Test
    void aGrantStillAsSeenIsRefreshedAtTheProvider() {
        RefreshPlan plan = RefreshPlan.of(seen, seen);
        assertThat(plan.action()).isEqualTo(RefreshPlan.Action.CALL_PROVIDER);
        assertThat(plan.grant()).isEqualTo(seen);
    }

    @Test
    void aGrantRefreshedMeanwhileUsesThatToken() {
        Grant refreshed = with(seen, 2, GrantStatus.active);
        RefreshPlan plan = RefreshPlan.of(seen, refreshed);
        assertThat(plan.action()).isEqualTo(RefreshPlan.Action.SETTLED);
        assertThat(plan.result().outcome()).isEqualTo(RefreshResult.Outcome.ALREADY_FRESH);
        assertThat(plan.result().grant()).isEqualTo(refreshed);
    }

    @Test
    void aGrantFoundDeadMeanwhileIsNotSentAgain() {
        RefreshPlan plan = RefreshPlan.of(seen, with(seen, 2, GrantStatus.reauth_required));
        assertThat(plan.result().outcome()).isEqualTo(RefreshResult.Outcome.REAUTH_REQUIRED);
        assertThat(plan.result().reason()).isEqualTo("invalid_grant");
    }

    @Test
    void aDisconnectedOrDeletedGrantIsNotRefreshed() {
        assertThat(RefreshPlan.of(seen, with(seen, 1, GrantStatus.disconnected)).result().reason()).isEqualTo("disconnected");
        assertThat(RefreshPlan.of(seen, null).result().reason()).isEqualTo("disconnected");
    }

    @Test
    void aGrantWithoutRefreshTokenNeedsTheUser() {
        Grant noRefreshToken = active("acme", Duration.ofSeconds(-10), false);
        RefreshPlan plan = RefreshPlan.of(noRefreshToken, noRefreshToken);
        assertThat(plan.action()).isEqualTo(RefreshPlan.Action.SETTLED);
        assertThat(plan.result().reason()).isEqualTo("no_refresh_token");
    }
}
