package dev.oauthbroker.revocation;

import static dev.oauthbroker.grant.InMemoryGrants.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.InMemoryGrantStore;
import dev.oauthbroker.grant.InMemoryGrantStore.Event;
import dev.oauthbroker.grant.InMemoryGrants;
import dev.oauthbroker.metrics.BrokerMetrics;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.ProviderRejectedException;
import dev.oauthbroker.provider.ShippedProviders;
import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.revocation.RevocationPlan.Action;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.token.ProviderRequest.Purpose;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Revocations} without Spring, database or HTTP: each shipped provider's revocation as its
 * catalogue entry writes it (RFC 7009 for Google and Zoom, GitHub's grant DELETE, Slack's
 * {@code auth.revoke}, none for Atlassian, Microsoft and Figma), the answers it gets, and the outcome
 * recorded, at a fixed time.
 */
class RevocationsTests {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryGrantStore grants = new InMemoryGrantStore(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Revocations revocations = new Revocations(ShippedProviders.catalog(), grants.outbox(), clock, new BrokerMetrics(registry));

    @Test
    void rfc7009RevokesTheRefreshTokenFirstThenTheAccessToken() {
        Grant google = grant("google", true);
        RevocationPlan plan = revocations.plan(google);

        assertThat(plan).isEqualTo(new RevocationPlan(Action.REVOKE, "refresh_token", "access_token"));
        assertThat(revocations.firstRequest(google, plan)).usingRecursiveComparison().isEqualTo(new ProviderRequest("google",
                Purpose.REVOCATION, "POST", "https://oauth2.googleapis.com/revoke", Map.of("Accept", "application/json", "Content-Type", FORM),
                "token=rt-SECRET&token_type_hint=refresh_token&client_id=google-id&client_secret=google-secret"));
        assertThat(revocations.secondRequest(google, plan).body())
                .isEqualTo("token=at-SECRET&token_type_hint=access_token&client_id=google-id&client_secret=google-secret");
    }

    @Test
    void aGrantWithoutARefreshTokenRevokesItsAccessTokenOnly() {
        assertThat(revocations.plan(grant("google", false))).isEqualTo(new RevocationPlan(Action.REVOKE, "access_token", null));
    }

    @Test
    void zoomAuthenticatesWithBasicAsAtItsTokenEndpoint() {
        Grant zoom = grant("zoom", true);

        assertThat(revocations.firstRequest(zoom, revocations.plan(zoom))).usingRecursiveComparison().isEqualTo(new ProviderRequest("zoom",
                Purpose.REVOCATION, "POST", "https://zoom.us/oauth/revoke",
                Map.of("Accept", "application/json", "Content-Type", FORM, "Authorization", basic("zoom-id:zoom-secret")),
                "token=rt-SECRET&token_type_hint=refresh_token"));
    }

    @Test
    void githubDeletesTheWholeGrantWithTheAccessTokenInJson() {
        Grant github = grant("github", true);
        RevocationPlan plan = revocations.plan(github);

        assertThat(plan).isEqualTo(new RevocationPlan(Action.REVOKE, "access_token", null));
        assertThat(revocations.firstRequest(github, plan)).usingRecursiveComparison().isEqualTo(new ProviderRequest("github",
                Purpose.REVOCATION, "DELETE", "https://api.github.com/applications/github-id/grant",
                Map.of("Accept", "application/vnd.github+json", "Content-Type", "application/json",
                        "Authorization", basic("github-id:github-secret")),
                "{\"access_token\":\"at-SECRET\"}"));
    }

    @Test
    void slackSendsTheAccessTokenAsBearerWithAnEmptyBody() {
        Grant slack = grant("slack", true);
        RevocationPlan plan = revocations.plan(slack);

        assertThat(plan).isEqualTo(new RevocationPlan(Action.REVOKE, "access_token", null));
        assertThat(revocations.firstRequest(slack, plan)).usingRecursiveComparison().isEqualTo(new ProviderRequest("slack",
                Purpose.REVOCATION, "POST", "https://slack.com/api/auth.revoke",
                Map.of("Accept", "application/json", "Content-Type", FORM, "Authorization", "Bearer at-SECRET"), ""));
    }

    @Test
    void providersWithoutARevocationEndpointAreUnsupportedAndAnUndecryptableGrantSkipped() {
        assertThat(List.of("atlassian", "microsoft", "figma")).allSatisfy(provider ->
                assertThat(revocations.plan(grant(provider, true))).isEqualTo(new RevocationPlan(Action.UNSUPPORTED, null, null)));

        Grant readable = grant("google", true);
        Grant undecryptable = new Grant(readable.id(), "u1", "google", readable.status(), null, null, "Bearer", readable.scopes(),
                readable.expiresAt(), 1, readable.connectedAt(), null, null, null, readable.tools(), true);
        assertThat(revocations.plan(undecryptable)).isEqualTo(new RevocationPlan(Action.SKIPPED, null, null));
    }

    @Test
    void theSecondRequestIsSentOnlyBeforeTheRequestsDeadline() {
        RevocationPlan two = new RevocationPlan(Action.REVOKE, "refresh_token", "access_token");

        assertThat(revocations.secondDue(two, NOW.plusMillis(1))).isTrue();
        assertThat(revocations.secondDue(two, NOW)).isFalse();
        assertThat(revocations.secondDue(two, null)).isTrue();
        assertThat(revocations.secondDue(new RevocationPlan(Action.REVOKE, "access_token", null), NOW.plusSeconds(10))).isFalse();
    }

    @Test
    void aSuccessOrAnAlreadyRevokedAnswerIsDone() {
        assertThatNoException().isThrownBy(() -> check("google", 200, ""));
        assertThatNoException().isThrownBy(() -> check("google", 400, "{\"error\":\"invalid_token\",\"error_description\":\"Token expired or revoked\"}"));
        assertThatNoException().isThrownBy(() -> check("github", 204, ""));
        assertThatNoException().isThrownBy(() -> check("slack", 200, "{\"ok\":true,\"revoked\":true}"));
    }

    @Test
    void anyOtherRefusalFailsAndOverloadIsRetried() {
        assertThat(failure("google", 400, "{\"error\":\"invalid_request\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("http_400");
        // already revoked codes are the provider's own: Zoom's catalogue names none
        assertThat(failure("zoom", 400, "{\"error\":\"invalid_token\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("http_400");
        assertThat(failure("github", 404, "{\"message\":\"Not Found\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("http_404");
        assertThat(failure("slack", 200, "{\"ok\":false,\"error\":\"invalid_auth\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("not_ok");
        assertThat(failure("google", 503, ""))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("http_503");
        assertThat(failure("github", 429, ""))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("http_429");
    }

    @Test
    void aCarriedOutRevocationIsRecordedInTheAuditTrailAndCounted() {
        Grant google = grant("google", true);

        assertThat(revocations.record(google, revocations.plan(google), null, null, null)).isEqualTo("revoked");

        assertThat(grants.events()).containsExactly(new Event(google.id(), "u1", "revoked", "revocation revoked"));
        assertThat(revocationsCounted("google", "revoked")).isEqualTo(1.0);
    }

    @Test
    void aFailedRevocationIsRecordedWithTheKindOfFailureOnly() {
        Grant google = grant("google", true);

        String outcome = revocations.record(google, revocations.plan(google), true,
                new TransientProviderException("http_503", null), null);

        assertThat(outcome).isEqualTo("failed");
        assertThat(grants.events()).containsExactly(new Event(google.id(), "u1", "revoked", "revocation failed (TransientProviderException)"));
        assertThat(revocationsCounted("google", "failed")).isEqualTo(1.0);
        assertThat(revocationsCounted("google", "revoked")).isZero();
    }

    @Test
    void nothingSentIsRecordedAsUnsupportedOrSkipped() {
        Grant atlassian = grant("atlassian", true);

        assertThat(revocations.record(atlassian, revocations.plan(atlassian), null, null, null)).isEqualTo("unsupported");
        assertThat(revocations.record(atlassian, new RevocationPlan(Action.SKIPPED, null, null), null, null, null)).isEqualTo("skipped");

        assertThat(grants.events()).containsExactly(
                new Event(atlassian.id(), "u1", "revoked", "revocation unsupported"),
                new Event(atlassian.id(), "u1", "revoked", "revocation skipped"));
        assertThat(revocationsCounted("atlassian", "unsupported")).isEqualTo(1.0);
        assertThat(revocationsCounted("atlassian", "skipped")).isEqualTo(1.0);
    }

    @Test
    void noRequestShowsItsTokensOrSecretWhenPrinted() {
        Grant google = grant("google", true);

        assertThat(revocations.firstRequest(google, revocations.plan(google)).toString())
                .isEqualTo("ProviderRequest[google REVOCATION POST]");
    }

    private void check(String provider, int status, String body) {
        Grant grant = grant(provider, true);
        revocations.check(status, body, revocations.firstRequest(grant, revocations.plan(grant)));
    }

    private ProviderException failure(String provider, int status, String body) {
        return catchThrowableOfType(ProviderException.class, () -> check(provider, status, body));
    }

    private double revocationsCounted(String provider, String result) {
        var counter = registry.find("broker.revocations").tag("provider", provider).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Grant grant(String provider, boolean refreshToken) {
        return InMemoryGrants.of(provider, List.of(provider), List.of(), Duration.ofHours(1), refreshToken);
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
