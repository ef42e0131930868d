package dev.oauthbroker.grant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Grants built in memory for the unit tests of the rules (no database). */
public final class InMemoryGrants {

    public static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private InMemoryGrants() {
    }

    /** An active grant of {@code provider} issued an hour before it expires, {@code expiresIn} from {@link #NOW}. */
    public static Grant active(String provider, Duration expiresIn, boolean refreshToken) {
        Instant expiresAt = NOW.plus(expiresIn);
        return new Grant(UUID.fromString("00000000-0000-0000-0000-000000000001"), "u1", provider, GrantStatus.active,
                "at-SECRET", refreshToken ? "rt-SECRET" : null, "Bearer", List.of("read"), expiresAt, 1,
                expiresAt.minus(Duration.ofHours(1)), null, null, null, List.of("tool"), false);
    }

    /**
     * An active grant of user {@code u1} at token version 1, serving {@code tools} with {@code scopes}, its
     * access token {@code at-SECRET} (refresh token {@code rt-SECRET}, or none) issued an hour before it
     * expires, {@code expiresIn} from {@link #NOW}.
     */
    public static Grant of(String provider, List<String> tools, List<String> scopes, Duration expiresIn, boolean refreshToken) {
        Instant expiresAt = NOW.plus(expiresIn);
        return new Grant(UUID.fromString("00000000-0000-0000-0000-000000000001"), "u1", provider, GrantStatus.active,
                "at-SECRET", refreshToken ? "rt-SECRET" : null, "Bearer", List.copyOf(scopes), expiresAt, 1,
                expiresAt.minus(Duration.ofHours(1)), null, null, null, List.copyOf(tools), false);
    }

    /** The same grant at another token version and status. */
    public static Grant with(Grant grant, long tokenVersion, GrantStatus status) {
        return new Grant(grant.id(), grant.userId(), grant.provider(), status, grant.accessToken(), grant.refreshToken(),
                grant.tokenType(), grant.scopes(), grant.expiresAt(), tokenVersion, grant.connectedAt(), grant.lastRefreshedAt(),
                grant.lastValidatedAt(), status == GrantStatus.reauth_required ? "invalid_grant" : null, grant.tools(), false);
    }
}
