package dev.oauthbroker.revocation;

import dev.oauthbroker.provider.Dialect.RevocationStyle;

/**
 * How one grant is revoked: {@link Action#REVOKE} with one or two requests — {@code first}, then
 * {@code second} when not null (each a {@code token_type_hint}: RFC 7009 revokes the refresh token
 * first, since revoking it SHOULD kill its access tokens, §2.1) — or nothing to send:
 * {@link Action#UNSUPPORTED} (the provider has no revocation) or {@link Action#SKIPPED} (the
 * grant's tokens cannot be decrypted).
 */
public record RevocationPlan(Action action, String first, String second) {

    public enum Action { REVOKE, UNSUPPORTED, SKIPPED }

    static final String REFRESH_TOKEN = "refresh_token";
    static final String ACCESS_TOKEN = "access_token";

    public static RevocationPlan of(boolean undecryptable, RevocationStyle style, boolean hasRefreshToken) {
        if (undecryptable) {
            return new RevocationPlan(Action.SKIPPED, null, null);
        }
        if (style == RevocationStyle.NONE) {
            return new RevocationPlan(Action.UNSUPPORTED, null, null);
        }
        if (style == RevocationStyle.RFC7009 && hasRefreshToken) {
            return new RevocationPlan(Action.REVOKE, REFRESH_TOKEN, ACCESS_TOKEN);
        }
        return new RevocationPlan(Action.REVOKE, ACCESS_TOKEN, null);
    }

    /** The outcome of this plan, once carried out: {@code failed} when a request failed. */
    public String outcome(boolean failed) {
        return switch (action) {
            case SKIPPED -> "skipped";
            case UNSUPPORTED -> "unsupported";
            case REVOKE -> failed ? "failed" : "revoked";
        };
    }
}
