package dev.oauthbroker.grant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One stored grant with its tokens decrypted. {@code tokenVersion} increases with every token
 * write: fenced updates compare it, so a writer that read an older version cannot overwrite a
 * newer token. {@link #toString()} never shows a token.
 *
 * <p>A grant whose stored tokens cannot be decrypted (its key dropped too early, a damaged value)
 * is still a grant: {@code undecryptable} is true and both tokens are null, so it can be listed,
 * reported and disconnected on its own without failing anything else of its user.
 */
public record Grant(
        UUID id,
        String userId,
        String provider,
        GrantStatus status,
        String accessToken,
        String refreshToken,
        String tokenType,
        List<String> scopes,
        Instant expiresAt,
        long tokenVersion,
        Instant connectedAt,
        Instant lastRefreshedAt,
        Instant lastValidatedAt,
        String lastError,
        List<String> tools,
        boolean undecryptable) {

    /** The {@code last_error} of a grant whose tokens cannot be decrypted. */
    public static final String UNDECRYPTABLE = "undecryptable";

    /** The same grant holding other tokens (a refresh token of null keeps this one's). */
    public Grant withTokens(String newAccessToken, String newRefreshToken) {
        return new Grant(id, userId, provider, status, newAccessToken, newRefreshToken == null ? refreshToken : newRefreshToken,
                tokenType, scopes, expiresAt, tokenVersion, connectedAt, lastRefreshedAt, lastValidatedAt, lastError, tools, undecryptable);
    }

    public boolean hasRefreshToken() {
        return refreshToken != null;
    }

    /**
     * Whether the access token should be refreshed now: within {@code buffer} of expiry — or, for
     * tokens that live shorter than twice the buffer, past half their lifetime, so a just-refreshed
     * short-lived token is fresh and never causes a refresh loop.
     */
    public boolean needsRefresh(Instant now, Duration buffer) {
        if (expiresAt == null) {
            return false;
        }
        if (!now.isBefore(expiresAt)) {
            return true;
        }
        Instant issued = lastRefreshedAt != null ? lastRefreshedAt : connectedAt;
        Duration lifetime = Duration.between(issued, expiresAt);
        Duration margin = lifetime.compareTo(buffer.plus(buffer)) < 0 ? lifetime.dividedBy(2) : buffer;
        return !now.isBefore(expiresAt.minus(margin));
    }

    /** This grant as marked {@code reauth_required} for {@code reason}; tokens unchanged. */
    public Grant asReauthRequired(String reason) {
        return new Grant(id, userId, provider, GrantStatus.reauth_required, accessToken, refreshToken, tokenType, scopes,
                expiresAt, tokenVersion, connectedAt, lastRefreshedAt, lastValidatedAt, reason, tools, undecryptable);
    }

    @Override
    public String toString() {
        return "Grant[" + id + ", user=" + userId + ", provider=" + provider + ", status=" + status
                + ", version=" + tokenVersion + ", tools=" + tools + (undecryptable ? ", undecryptable" : "") + "]";
    }
}
