package dev.oauthbroker.authorization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An authorization request waiting for its callback: who asked, for which tools, the PKCE
 * verifier (null when the provider does not use PKCE), the scopes asked for (the granted set when
 * the token answer lists none, RFC 6749 §5.1) and, for a Grant access flow, the grant it upgrades
 * (null for a new consent).
 */
public record PendingAuthorization(String userId, String provider, List<String> tools, String bucket,
                                   String codeVerifier, Instant createdAt, List<String> scopes, UUID upgradeGrant) {

    public PendingAuthorization {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** A new consent whose asked scopes are not recorded. */
    public PendingAuthorization(String userId, String provider, List<String> tools, String bucket, String codeVerifier, Instant createdAt) {
        this(userId, provider, tools, bucket, codeVerifier, createdAt, List.of(), null);
    }

    /** Whether the completion updates an existing grant ({@link #upgradeGrant()}) rather than storing a new one. */
    public boolean upgrades() {
        return upgradeGrant != null;
    }

    @Override
    public String toString() {
        return "PendingAuthorization[user=" + userId + ", provider=" + provider + ", tools=" + tools
                + (upgradeGrant == null ? "" : ", upgrades=" + upgradeGrant) + "]";
    }
}
