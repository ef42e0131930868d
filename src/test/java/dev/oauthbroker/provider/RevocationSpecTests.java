package dev.oauthbroker.provider;

import static dev.oauthbroker.provider.ShippedProviders.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.RevocationSpec.Body;
import dev.oauthbroker.provider.RevocationSpec.RevocationRequest;
import dev.oauthbroker.provider.RevocationSpec.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped providers' revocation requests and answers, built and read from their catalogue blocks alone. */
class RevocationSpecTests {

    @Test
    void googleIsRfc7009RefreshTokenFirstClientInTheForm() {
        Provider google = provider("google");
        RevocationSpec spec = google.revocation();
        assertThat(spec.tokensFor(true)).containsExactly("refresh_token", "access_token");
        assertThat(spec.tokensFor(false)).containsExactly("access_token");

        RevocationRequest request = spec.requestFor(google, "refresh_token", "rt", "at");

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url()).isEqualTo("https://oauth2.googleapis.com/revoke");
        assertThat(request.body()).isEqualTo(Body.form);
        assertThat(request.fields()).containsExactly(Map.entry("token", "rt"), Map.entry("token_type_hint", "refresh_token"),
                Map.entry("client_id", "google-id"), Map.entry("client_secret", "google-secret"));
        assertThat(request.basicAuth()).isFalse();
        assertThat(request.headers()).isEmpty();
        assertThat(spec.style()).isEqualTo("rfc7009");
        assertThat(request.toString()).as("no token or secret in a log line").doesNotContain("google-secret").contains("token_type_hint");
    }

    @Test
    void zoomAuthenticatesAsAtItsTokenEndpointWithBasic() {
        Provider zoom = provider("zoom");
        RevocationRequest request = zoom.revocation().requestFor(zoom, "access_token", "at", "at");
        assertThat(request.basicAuth()).isTrue();
        assertThat(request.fields()).containsExactly(Map.entry("token", "at"), Map.entry("token_type_hint", "access_token"));
    }

    @Test
    void githubDeletesTheWholeGrantWithTheAccessTokenInJson() {
        Provider github = provider("github");
        RevocationSpec spec = github.revocation();
        assertThat(spec.tokensFor(true)).containsExactly("access_token");

        RevocationRequest request = spec.requestFor(github, "access_token", "at", "at");

        assertThat(request.method()).isEqualTo("DELETE");
        assertThat(request.url()).isEqualTo("https://api.github.com/applications/github-id/grant");
        assertThat(request.body()).isEqualTo(Body.json);
        assertThat(request.fields()).containsExactly(Map.entry("access_token", "at"));
        assertThat(request.basicAuth()).isTrue();
        assertThat(request.headers()).containsEntry("Accept", "application/vnd.github+json");
        assertThat(spec.style()).isEqualTo("delete_json");
    }

    @Test
    void slackSendsTheAccessTokenAsBearerAndWantsOkTrue() {
        Provider slack = provider("slack");
        RevocationSpec spec = slack.revocation();
        assertThat(spec.tokensFor(true)).containsExactly("access_token");

        RevocationRequest request = spec.requestFor(slack, "access_token", "xoxp-at", "xoxp-at");

        assertThat(request.headers()).containsExactly(Map.entry("Authorization", "Bearer xoxp-at"));
        assertThat(request.body()).isEqualTo(Body.none);
        assertThat(request.fields()).isEmpty();
        assertThat(request.basicAuth()).isFalse();
        assertThat(spec.judge(200, "{\"ok\":true,\"revoked\":true}")).isEqualTo(Verdict.REVOKED);
        assertThat(spec.judge(200, "{\"ok\":false,\"error\":\"invalid_auth\"}")).isEqualTo(Verdict.FAILED);
        assertThat(spec.judge(200, "not json")).isEqualTo(Verdict.FAILED);
        assertThat(spec.style()).isEqualTo("post_bearer");
    }

    @Test
    void anyTwoHundredIsDoneWithoutAnOkFieldOverloadIsRetriedTheRestFails() {
        RevocationSpec google = provider("google").revocation();
        assertThat(google.judge(200, "")).isEqualTo(Verdict.REVOKED);
        assertThat(provider("github").revocation().judge(204, null)).isEqualTo(Verdict.REVOKED);
        assertThat(google.judge(503, "")).isEqualTo(Verdict.RETRY);
        assertThat(google.judge(429, "")).isEqualTo(Verdict.RETRY);
        assertThat(google.judge(400, "{\"error\":\"unsupported_token_type\"}")).isEqualTo(Verdict.FAILED);
        assertThat(provider("github").revocation().judge(422, "{}")).isEqualTo(Verdict.FAILED);
        // Google's answer for a token already revoked (catalogue: alreadyRevokedCodes): the revocation's goal is reached
        assertThat(google.judge(400, "{\"error\":\"invalid_token\",\"error_description\":\"Token expired or revoked\"}")).isEqualTo(Verdict.REVOKED);
        assertThat(provider("zoom").revocation().judge(400, "{\"error\":\"invalid_token\"}")).as("only where the catalogue says so").isEqualTo(Verdict.FAILED);
    }

    @Test
    void atlassianMicrosoftAndFigmaHaveNoPerTokenRevocation() {
        assertThat(List.of("atlassian", "microsoft", "figma")).allSatisfy(id -> assertThat(provider(id).revocation()).as(id).isNull());
    }
}
