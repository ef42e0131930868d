package dev.oauthbroker.authorization;

import java.time.Instant;
import java.util.List;

/**
 * An authorization request waiting for its callback: who asked, for which tools, and the PKCE
 * verifier (null when the provider does not use PKCE).
 */
public record PendingAuthorization(String userId, String provider, List<String> tools, String bucket,
                                   String codeVerifier, Instant createdAt) {

    @Override
    public String toString() {
        return "PendingAuthorization[user=" + userId + ", provider=" + provider + ", tools=" + tools + "]";
    }
}
