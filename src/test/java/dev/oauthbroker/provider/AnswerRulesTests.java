package dev.oauthbroker.provider;

import static dev.oauthbroker.provider.ShippedProviders.answer;
import static dev.oauthbroker.provider.ShippedProviders.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.AnswerRules.Outcome;
import dev.oauthbroker.provider.AnswerRules.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped providers' token endpoint answers, classified by their catalogue rules alone. */
class AnswerRulesTests {

    @Test
    void aTokenAnswerIsOkForEveryProvider() {
        for (String id : new String[] {"github", "atlassian", "microsoft", "google", "slack", "figma", "zoom"}) {
            assertThat(classify(id, 200, answer(id + "/token-ok.json"))).as(id).isEqualTo(new Verdict(Outcome.OK, null));
        }
    }

    @Test
    void githubSaysADeadRefreshTokenWithHttp200() {
        assertThat(classify("github", 200, answer("github/bad-refresh-token.json"))).isEqualTo(dead("bad_refresh_token"));
        assertThat(classify("github", 200, Map.of("error", "bad_verification_code"))).isEqualTo(dead("bad_verification_code"));
    }

    @Test
    void atlassianSaysItWith403InEitherShape() {
        assertThat(classify("atlassian", 403, answer("atlassian/invalid-grant.json"))).isEqualTo(dead("invalid_grant"));
        assertThat(classify("atlassian", 403, Map.of("error", "unauthorized_client", "error_description", "refresh_token is invalid")))
                .isEqualTo(dead("unauthorized_client"));
    }

    @Test
    void microsoftIsReadByTheAadstsCodeInTheDescription() {
        assertThat(classify("microsoft", 400, answer("microsoft/invalid-grant-700082.json"))).isEqualTo(dead("AADSTS700082"));
        assertThat(classify("microsoft", 400, answer("microsoft/invalid-grant-50173.json"))).isEqualTo(dead("AADSTS50173"));
        assertThat(classify("microsoft", 400, answer("microsoft/interaction-required-50076.json"))).isEqualTo(dead("AADSTS50076"));
        assertThat(classify("microsoft", 400, Map.of("error", "invalid_request", "error_description", "AADSTS900144: missing 'grant_type'")))
                .isEqualTo(new Verdict(Outcome.REJECTED, "invalid_request"));
        assertThat(classify("microsoft", 400, Map.of("error", "invalid_request", "error_description", "AADSTS7000820: not a listed code")))
                .as("a code matches as a whole word only").isEqualTo(new Verdict(Outcome.REJECTED, "invalid_request"));
    }

    @Test
    void googleAndZoomSayItTheRfc6749Way() {
        assertThat(classify("google", 400, answer("google/invalid-grant.json"))).isEqualTo(dead("invalid_grant"));
        assertThat(classify("zoom", 400, answer("zoom/invalid-grant.json"))).isEqualTo(dead("invalid_grant"));
        assertThat(classify("google", 200, answer("github/bad-refresh-token.json")))
                .as("GitHub's code means nothing at Google").isEqualTo(new Verdict(Outcome.REJECTED, "bad_refresh_token"));
    }

    @Test
    void slackSaysEverythingWith200AndOkFalse() {
        assertThat(classify("slack", 200, answer("slack/invalid-refresh-token.json"))).isEqualTo(dead("invalid_refresh_token"));
        assertThat(classify("slack", 200, answer("slack/invalid-code.json"))).isEqualTo(new Verdict(Outcome.REJECTED, "invalid_code"));
        assertThat(classify("slack", 200, Map.of("ok", false, "error", "ratelimited"))).isEqualTo(new Verdict(Outcome.TRANSIENT, "ratelimited"));
        assertThat(classify("slack", 200, Map.of("ok", false))).isEqualTo(new Verdict(Outcome.REJECTED, "not_ok"));
        assertThat(classify("google", 200, Map.of("ok", false, "access_token", "at")))
                .as("ok means nothing to a provider whose catalogue names no okField").isEqualTo(new Verdict(Outcome.OK, null));
    }

    @Test
    void overloadIsTransientWhateverTheBodyAndOtherFailuresAreRejections() {
        assertThat(classify("google", 503, Map.of())).isEqualTo(new Verdict(Outcome.TRANSIENT, "http_503"));
        assertThat(classify("zoom", 429, Map.of("error", "invalid_grant"))).isEqualTo(new Verdict(Outcome.TRANSIENT, "http_429"));
        assertThat(classify("figma", 400, Map.of())).isEqualTo(new Verdict(Outcome.REJECTED, "http_400"));
        // Figma's own error shape (figma/rest-api-spec): a boolean flag, the words in "message"
        assertThat(classify("figma", 400, Map.of("error", true, "status", 400, "message", "Invalid refresh token")))
                .isEqualTo(new Verdict(Outcome.DEAD_GRANT, "invalid"));
        assertThat(classify("figma", 200, Map.of("error", true, "status", 403, "message", "Forbidden")))
                .isEqualTo(new Verdict(Outcome.REJECTED, "http_200"));
        assertThat(classify("figma", 200, Map.of("error", false, "access_token", "x"))).isEqualTo(new Verdict(Outcome.OK, null));
        assertThat(classify("figma", 400, Map.of("error", "temporarily_unavailable"))).isEqualTo(new Verdict(Outcome.TRANSIENT, "temporarily_unavailable"));
    }

    private static Verdict classify(String provider, int status, Map<String, ?> fields) {
        return provider(provider).errors().classify(status, fields);
    }

    private static Verdict dead(String reason) {
        return new Verdict(Outcome.DEAD_GRANT, reason);
    }
}
