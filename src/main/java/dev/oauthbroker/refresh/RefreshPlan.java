package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;

/**
 * What a refresh does once it holds the grant's lease and has re-read the grant: call the provider
 * with the grant as it is now ({@link Action#CALL_PROVIDER}), or end with an outcome already
 * settled ({@link Action#SETTLED}: someone refreshed it, found it dead or disconnected it meanwhile,
 * or it has no refresh token).
 */
public record RefreshPlan(Action action, Grant grant, RefreshResult result) {

    public enum Action { CALL_PROVIDER, SETTLED }

    /** The plan for a refresh of {@code seen} (as its caller read it), given the grant re-read under the lease. */
    public static RefreshPlan of(Grant seen, Grant current) {
        RefreshResult settled = settledSince(seen, current);
        if (settled != null) {
            return settled(settled);
        }
        if (current.status() == GrantStatus.reauth_required) {
            return settled(RefreshResult.reauthRequired(current, current.lastError()));
        }
        if (!current.hasRefreshToken()) {
            return settled(RefreshResult.reauthRequired(current, "no_refresh_token"));
        }
        return new RefreshPlan(Action.CALL_PROVIDER, current, null);
    }

    /**
     * The outcome already settled since the caller read {@code seen}: the grant was disconnected,
     * or someone refreshed it (or found it dead) meanwhile; null when it is still as seen.
     */
    public static RefreshResult settledSince(Grant seen, Grant current) {
        if (current == null || current.status() == GrantStatus.disconnected) {
            return RefreshResult.reauthRequired(seen, "disconnected");
        }
        if (current.tokenVersion() == seen.tokenVersion()) {
            return null;
        }
        return current.status() == GrantStatus.reauth_required
                ? RefreshResult.reauthRequired(current, current.lastError())
                : RefreshResult.alreadyFresh(current);
    }

    private static RefreshPlan settled(RefreshResult result) {
        return new RefreshPlan(Action.SETTLED, result.grant(), result);
    }
}
