package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import java.time.Duration;

/**
 * What a refresh ended with. {@code grant} carries the token to use when the outcome is
 * {@link Outcome#REFRESHED} or {@link Outcome#ALREADY_FRESH}; {@code reason} says why otherwise;
 * {@code retryAfter}, when known, how long an {@link Outcome#UNAVAILABLE} provider should be left
 * alone.
 */
public record RefreshResult(Outcome outcome, Grant grant, String reason, Duration retryAfter) {

    public enum Outcome {
        /** We called the provider and stored new tokens. */
        REFRESHED,
        /** Another caller (thread, instance or lost race) refreshed meanwhile; its token is used. */
        ALREADY_FRESH,
        /** The grant is dead: the user must consent again. */
        REAUTH_REQUIRED,
        /** The provider could not be reached or refused for a non-grant reason; the grant is unchanged. */
        UNAVAILABLE,
        /**
         * The grant was disconnected while the provider answered: {@code grant} holds the tokens just
         * issued, which refresh-locked revokes. Never leaves refresh-locked: it ends as
         * {@link #REAUTH_REQUIRED} with reason {@code disconnected}.
         */
        DISCONNECTED_MEANWHILE
    }

    public static RefreshResult refreshed(Grant grant) {
        return new RefreshResult(Outcome.REFRESHED, grant, null, null);
    }

    public static RefreshResult alreadyFresh(Grant grant) {
        return new RefreshResult(Outcome.ALREADY_FRESH, grant, null, null);
    }

    public static RefreshResult reauthRequired(Grant grant, String reason) {
        return new RefreshResult(Outcome.REAUTH_REQUIRED, grant, reason, null);
    }

    /** {@code issued}: the disconnected grant holding the tokens the provider has just issued. */
    public static RefreshResult disconnectedMeanwhile(Grant issued) {
        return new RefreshResult(Outcome.DISCONNECTED_MEANWHILE, issued, "disconnected", null);
    }

    public static RefreshResult unavailable(Grant grant, String reason) {
        return unavailable(grant, reason, null);
    }

    public static RefreshResult unavailable(Grant grant, String reason, Duration retryAfter) {
        return new RefreshResult(Outcome.UNAVAILABLE, grant, reason, retryAfter);
    }

    public boolean hasToken() {
        return outcome == Outcome.REFRESHED || outcome == Outcome.ALREADY_FRESH;
    }
}
