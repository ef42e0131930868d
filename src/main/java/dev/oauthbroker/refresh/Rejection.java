package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What a report of a rejected access token calls for, decided on the grant as stored: the
 * compare of compare-and-refresh. In the order checked:
 * <ul>
 *   <li>{@link Outcome#REPLACED}: the stored token is another one (someone refreshed meanwhile) —
 *       answer it, no provider call;</li>
 *   <li>{@link Outcome#JUST_ISSUED}: the rejected token is the stored one and was issued (connected
 *       or refreshed) less than {@code grace} ago — a fresh token the provider refuses is not stale,
 *       so a refresh would not help (wrong scopes, wrong API): 409 {@code token_rejected}, no refresh
 *       loop; this holds for grants without a refresh token too, so a backend's mistake does not
 *       send a user who just connected back to the consent screen;</li>
 *   <li>{@link Outcome#NO_REFRESH_TOKEN}: nothing to refresh with — the grant needs a new consent;</li>
 *   <li>{@link Outcome#REFRESH}: refresh it, through the one refresh path, if it is still this token
 *       under the lease.</li>
 * </ul>
 *
 * @param issuedAgo how long ago the stored token was issued; null for {@link Outcome#REPLACED}
 */
public record Rejection(Outcome outcome, Duration issuedAgo, Duration grace) {

    public enum Outcome { REPLACED, JUST_ISSUED, NO_REFRESH_TOKEN, REFRESH }

    /** The outcome of a report of {@code reported} against {@code stored}, at {@code now}. */
    public static Rejection of(Grant stored, ReportedToken reported, Instant now, Duration grace) {
        if (!reported.matches(stored.accessToken())) {
            return new Rejection(Outcome.REPLACED, null, grace);
        }
        Instant issued = stored.lastRefreshedAt() != null ? stored.lastRefreshedAt() : stored.connectedAt();
        Duration ago = Duration.between(issued, now);
        if (ago.compareTo(grace) < 0) {
            return new Rejection(Outcome.JUST_ISSUED, ago, grace);
        }
        return new Rejection(stored.hasRefreshToken() ? Outcome.REFRESH : Outcome.NO_REFRESH_TOKEN, ago, grace);
    }

    /** Whether the report is news: the rejected token is the stored one (an event is recorded). */
    public boolean news() {
        return outcome != Outcome.REPLACED;
    }

    /** The {@code token_rejected} event's detail: what the broker did about it. Never the token. */
    public String detail() {
        return switch (outcome) {
            case REPLACED -> "already replaced: current token answered";
            case JUST_ISSUED -> "issued " + seconds(issuedAgo) + " ago, within the grace of " + seconds(grace) + ": not refreshed";
            case NO_REFRESH_TOKEN -> "no refresh token: reauth_required";
            case REFRESH -> "refreshing";
        };
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", Math.max(0, duration.toMillis()) / 1000.0);
    }
}
