package dev.oauthbroker.provider;

import static dev.oauthbroker.provider.ShippedProviders.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.IdentitySpec.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped providers' identity answers, judged by their catalogue blocks alone. */
class IdentitySpecTests {

    @Test
    void everyShippedProviderHasAnIdentityCheckByGet() {
        for (String id : List.of("github", "atlassian", "microsoft", "google", "slack", "figma", "zoom")) {
            assertThat(provider(id).identity().method()).as(id).isEqualTo("GET");
        }
        assertThat(provider("microsoft").identity().url()).isEqualTo("https://graph.microsoft.com/v1.0/me");
    }

    @Test
    void aStandardProviderIsValidOn2xxRejectedOn401AndSaysNothingOtherwise() {
        IdentitySpec github = provider("github").identity();
        assertThat(github.judge(200, "{\"login\":\"octocat\"}")).isEqualTo(Verdict.VALID);
        assertThat(github.judge(200, "[{\"id\":\"cloud\"}]")).isEqualTo(Verdict.VALID);
        assertThat(github.judge(401, "{\"message\":\"Bad credentials\"}")).isEqualTo(Verdict.REJECTED);
        assertThat(github.judge(403, "{\"message\":\"rate limit\"}")).isEqualTo(Verdict.ERROR);
        assertThat(github.judge(500, "")).isEqualTo(Verdict.ERROR);
        assertThat(provider("google").identity().judge(200, "{\"error\":\"invalid_auth\"}"))
                .as("Slack's codes mean nothing at Google").isEqualTo(Verdict.VALID);
    }

    @Test
    void slackNeedsOkTrueAndItsAuthErrorsRejectTheToken() {
        IdentitySpec slack = provider("slack").identity();
        assertThat(slack.judge(200, "{\"ok\":true,\"user_id\":\"U1\"}")).isEqualTo(Verdict.VALID);
        assertThat(slack.judge(200, "{\"ok\":false,\"error\":\"invalid_auth\"}")).isEqualTo(Verdict.REJECTED);
        assertThat(slack.judge(200, "{\"ok\":false,\"error\":\"token_revoked\"}")).isEqualTo(Verdict.REJECTED);
        assertThat(slack.judge(200, "{\"ok\":false,\"error\":\"ratelimited\"}")).isEqualTo(Verdict.ERROR);
        assertThat(slack.judge(200, "<html>maintenance</html>")).isEqualTo(Verdict.ERROR);
    }
}
