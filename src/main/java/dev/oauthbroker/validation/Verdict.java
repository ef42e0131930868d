package dev.oauthbroker.validation;

import dev.oauthbroker.refresh.RefreshResult;

/**
 * Where the validation of one grant stands: a step still to take ({@link Status#REFRESH},
 * {@link Status#IDENTITY}) or its verdict ({@link Status#VALID}, {@link Status#REAUTH_REQUIRED},
 * {@link Status#ERROR}) with the reason. The rules: refresh when due; ask the identity endpoint;
 * on a rejection, refresh once and ask again — a rejection of a fresh token means the grant is dead.
 */
public record Verdict(Status status, String reason) {

    public enum Status { REFRESH, IDENTITY, VALID, REAUTH_REQUIRED, ERROR }

    /** The reason of a grant whose access token the identity endpoint rejected after a refresh. */
    public static final String IDENTITY_REJECTED = "identity_rejected";

    /** Whether a step is still to take. */
    public boolean pending() {
        return status == Status.REFRESH || status == Status.IDENTITY;
    }

    static Verdict of(Status status, String reason) {
        return new Verdict(status, reason);
    }

    /** After a refresh: ask the identity endpoint with the token it gave, or end as it says. */
    static Verdict afterRefresh(RefreshResult result, Verdict identityStep) {
        if (result.hasToken()) {
            return identityStep;
        }
        return result.outcome() == RefreshResult.Outcome.REAUTH_REQUIRED
                ? of(Status.REAUTH_REQUIRED, result.reason()) : of(Status.ERROR, result.reason());
    }

    /** After the identity endpoint answered: a rejection refreshes once when it can, else the grant is dead. */
    static Verdict afterIdentity(IdentityAnswer answer, boolean canRefresh, boolean refreshed) {
        return switch (answer.kind()) {
            case ACCEPTED -> of(Status.VALID, null);
            case REJECTED -> canRefresh && !refreshed ? of(Status.REFRESH, null) : of(Status.REAUTH_REQUIRED, IDENTITY_REJECTED);
            case FAILED -> of(Status.ERROR, answer.reason());
        };
    }
}
