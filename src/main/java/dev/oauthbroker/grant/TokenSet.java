package dev.oauthbroker.grant;

import java.util.List;

/**
 * A provider's token answer, normalised (RFC 6749 §5.1).
 *
 * @param refreshToken null when none was returned (keep the old one, RFC 6749 §6)
 * @param expiresInSeconds null when the token does not expire (GitHub OAuth Apps)
 * @param scopes empty when the answer did not list them
 */
public record TokenSet(String accessToken, String refreshToken, String tokenType, Long expiresInSeconds, List<String> scopes) {

    @Override
    public String toString() {
        return "TokenSet[tokenType=" + tokenType + ", expiresIn=" + expiresInSeconds + ", scopes=" + scopes
                + ", refreshToken=" + (refreshToken == null ? "none" : "present") + "]";
    }
}
