package dev.oauthbroker.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.oauthbroker.grant.TokenSet;
import dev.oauthbroker.provider.AdminConsentRequiredException;
import dev.oauthbroker.provider.InvalidGrantException;
import dev.oauthbroker.provider.ProviderException;
import dev.oauthbroker.provider.ProviderRejectedException;
import dev.oauthbroker.provider.ShippedProviders;
import dev.oauthbroker.provider.TransientProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenResponses} without Spring or HTTP: each provider's token answers (the canned files of
 * src/test/resources/providers/__files, the shapes of ../shared/PROVIDER-FACTS.md) read with the
 * shipped catalogue's rules, at a fixed time.
 */
class TokenResponsesTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final TokenResponses responses = new TokenResponses(ShippedProviders.catalog(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anRfc6749AnswerGivesEveryFieldWithSpaceSeparatedScopes() {
        TokenSet tokens = parse("zoom", 200, null, canned("zoom/token-ok.json"));

        assertThat(tokens.accessToken()).isEqualTo("eyJzm-SECRET-zoom-access");
        assertThat(tokens.refreshToken()).isEqualTo("eyJzm-SECRET-zoom-refresh");
        assertThat(tokens.tokenType()).isEqualTo("bearer");
        assertThat(tokens.expiresInSeconds()).isEqualTo(3599L);
        assertThat(tokens.scopes()).containsExactly("user:read:user", "meeting:read:list_meetings");
    }

    @Test
    void githubsFormEncodedAnswerWithoutExpiryOrRefreshTokenHasCommaSeparatedScopes() {
        TokenSet tokens = parse("github", 200, null, canned("github/token-ok-form.txt"));

        assertThat(tokens).usingRecursiveComparison()
                .isEqualTo(new TokenSet("gho_SECRET_github_form", null, "bearer", null, List.of("repo", "read:user")));
    }

    @Test
    void anAnswerWithoutTokenTypeIsBearerAndWithoutScopeListsNone() {
        TokenSet tokens = parse("figma", 200, null, canned("figma/refresh-ok.json"));

        assertThat(tokens).usingRecursiveComparison()
                .isEqualTo(new TokenSet("figd_SECRET-figma-refreshed", null, "Bearer", 7776000L, List.of()));
    }

    @Test
    void expiresInAsAStringIsReadAndAnUnreadableOneIsNoExpiry() {
        assertThat(parse("google", 200, null, "{\"access_token\":\"ya29.SECRET\",\"expires_in\":\"3599\"}").expiresInSeconds())
                .isEqualTo(3599L);
        assertThat(parse("google", 200, null, "{\"access_token\":\"ya29.SECRET\",\"expires_in\":\" 60 \"}").expiresInSeconds())
                .isEqualTo(60L);
        assertThat(parse("google", 200, null, "{\"access_token\":\"ya29.SECRET\",\"expires_in\":\"soon\"}").expiresInSeconds())
                .isNull();
        assertThat(parse("google", 200, null, "{\"access_token\":\"ya29.SECRET\",\"expires_in\":\"\"}").expiresInSeconds())
                .isNull();
    }

    @Test
    void slacksCodeExchangeNestsTheUserTokenUnderAuthedUser() {
        TokenSet tokens = parse("slack", 200, null, canned("slack/token-ok.json"));

        assertThat(tokens).usingRecursiveComparison().isEqualTo(new TokenSet("xoxe.xoxp-SECRET-slack-access",
                "xoxe-1-SECRET-slack-refresh", "user", 43200L, List.of("channels:history", "channels:read", "users:read")));
    }

    @Test
    void slacksRefreshAnswersAtTheTopLevel() {
        TokenSet tokens = parse("slack", 200, null, canned("slack/refresh-ok.json"));

        assertThat(tokens).usingRecursiveComparison().isEqualTo(new TokenSet("xoxe.xoxp-SECRET-slack-refreshed",
                "xoxe-1-SECRET-slack-refresh-2", "user", 43200L, List.of("channels:history", "channels:read", "users:read")));
    }

    @Test
    void slacksOkFalseWithHttp200IsAnErrorByItsCode() {
        assertThat(failure("slack", 200, null, canned("slack/invalid-refresh-token.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("invalid_refresh_token");
        assertThat(failure("slack", 200, null, canned("slack/invalid-code.json")))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("invalid_code");
        assertThat(failure("slack", 200, null, "{\"ok\":false,\"error\":\"ratelimited\"}"))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("ratelimited");
        // ok:false without a code, though the answer carries a token: still no tokens
        assertThat(failure("slack", 200, null, "{\"ok\":false,\"access_token\":\"xoxp-SECRET\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("not_ok");
    }

    @Test
    void githubsErrorWithHttp200IsADeadGrant() {
        assertThat(failure("github", 200, null, canned("github/bad-refresh-token.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("bad_refresh_token");
        assertThat(failure("github", 200, null, "error=bad_verification_code&error_description=The+code+passed+is+incorrect"))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("bad_verification_code");
    }

    @Test
    void figmasErrorFlagIsReadWithItsMessageAsTheDescription() {
        assertThat(failure("figma", 400, null, canned("figma/invalid-refresh-token.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("invalid");
        // the flag makes even a 200 an error; a message naming no dead-grant word is a rejection by its status
        assertThat(failure("figma", 200, null, "{\"error\":true,\"status\":400,\"message\":\"Bad client\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("http_200");
    }

    @Test
    void microsoftsDescriptionCodesDecideBetweenDeadGrantAndAdminConsent() {
        assertThat(failure("microsoft", 400, null, canned("microsoft/invalid-grant-700082.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("AADSTS700082");
        assertThat(failure("microsoft", 400, null, canned("microsoft/interaction-required-50076.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("AADSTS50076");

        AdminConsentRequiredException consent = (AdminConsentRequiredException) failure("microsoft", 400, null,
                canned("microsoft/consent-required-65001.json"));
        assertThat(consent.reason()).isEqualTo("admin_consent_required");
        assertThat(consent.bucket()).isEqualTo("microsoft");
    }

    @Test
    void adminConsentOfAProviderWithoutAnAdminConsentLinkNamesNoBucket() {
        // Google has no adminConsent block: its rules name no admin-consent code, so the same answer is a dead grant
        assertThat(failure("google", 400, null, canned("microsoft/consent-required-65001.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("invalid_grant");
    }

    @Test
    void overloadIsTransientWithItsRetryAfterInSeconds() {
        TransientProviderException busy = (TransientProviderException) failure("google", 503, "120", "");
        assertThat(busy.reason()).isEqualTo("http_503");
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(120));

        TransientProviderException limited = (TransientProviderException) failure("google", 429, null, "{\"error\":\"rate_limited\"}");
        assertThat(limited.reason()).isEqualTo("http_429");
        assertThat(limited.retryAfter()).isNull();
    }

    @Test
    void aRetryAfterDateCountsFromTheClock() {
        assertThat(((TransientProviderException) failure("google", 503, "Thu, 26 Nov 2026 12:01:30 GMT", "")).retryAfter())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(((TransientProviderException) failure("google", 503, "Thu, 26 Nov 2026 11:59:00 GMT", "")).retryAfter())
                .isEqualTo(Duration.ZERO);
        assertThat(((TransientProviderException) failure("google", 503, "in a while", "")).retryAfter()).isNull();
    }

    @Test
    void anHtmlPageWithHttp200IsATransientFailureAndWithAnErrorStatusIsReadByItsStatus() {
        String page = canned("acme/bad-gateway.html");
        assertThat(failure("google", 200, null, page))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("unreadable_answer");
        assertThat(failure("google", 502, null, page))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("http_502");
        assertThat(failure("google", 404, null, page))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("http_404");
    }

    @Test
    void aStandardInvalidGrantIsADeadGrantAndAnyOtherCodeARejection() {
        assertThat(failure("google", 400, null, canned("google/invalid-grant.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("invalid_grant");
        assertThat(failure("zoom", 400, null, canned("zoom/invalid-grant.json")))
                .isExactlyInstanceOf(InvalidGrantException.class).extracting(ProviderException::reason).isEqualTo("invalid_grant");
        assertThat(failure("google", 401, null, "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("invalid_client");
        assertThat(failure("google", 400, null, "{\"error\":\"temporarily_unavailable\"}"))
                .isExactlyInstanceOf(TransientProviderException.class).extracting(ProviderException::reason).isEqualTo("temporarily_unavailable");
    }

    @Test
    void aSuccessWithoutAnAccessTokenIsARejection() {
        assertThat(failure("google", 200, null, "{\"refresh_token\":\"1//SECRET-rt\",\"expires_in\":3599}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("no_access_token");
        assertThat(failure("google", 200, null, ""))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("no_access_token");
        assertThat(failure("google", 200, null, "{\"access_token\":\"  \"}"))
                .isExactlyInstanceOf(ProviderRejectedException.class).extracting(ProviderException::reason).isEqualTo("no_access_token");
    }

    @Test
    void noExceptionMessageCarriesATokenOrTheProvidersDescription() {
        List<ProviderException> failures = List.of(
                failure("google", 400, null, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token 1//SECRET-rt was revoked\","
                        + "\"access_token\":\"ya29.SECRET-at\"}"),
                failure("microsoft", 400, null, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS65001: consent for ya29.SECRET-at\"}"),
                failure("slack", 200, null, "{\"ok\":false,\"error\":\"token_revoked\",\"authed_user\":{\"access_token\":\"xoxp-SECRET-at\"}}"),
                failure("google", 200, null, "{\"refresh_token\":\"1//SECRET-rt\"}"),
                failure("google", 503, null, "{\"access_token\":\"ya29.SECRET-at\"}"),
                failure("google", 200, null, "<html>ya29.SECRET-at</html>"),
                failure("google", 400, null, "{\"error\":\"invalid request <script>\",\"refresh_token\":\"1//SECRET-rt\"}"));

        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure.getMessage()).doesNotContain("SECRET").doesNotContain("was revoked").doesNotContain("consent for");
            assertThat(failure.reason()).doesNotContain(" ").doesNotContain("<");
        });
        // an error code of free text is kept only as a sanitised code
        assertThat(failures.get(6).reason()).isEqualTo("invalid_request__script_");
    }

    private TokenSet parse(String provider, int status, String retryAfter, String body) {
        return responses.parse(status, retryAfter, body, request(provider));
    }

    private ProviderException failure(String provider, int status, String retryAfter, String body) {
        return catchThrowableOfType(ProviderException.class, () -> responses.parse(status, retryAfter, body, request(provider)));
    }

    private static ProviderRequest request(String provider) {
        return new ProviderRequest(provider, ProviderRequest.Purpose.REFRESH, "POST", "https://" + provider + ".example/token", Map.of(), "");
    }

    private static String canned(String file) {
        try {
            return Files.readString(Path.of("src/test/resources/providers/__files", file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
