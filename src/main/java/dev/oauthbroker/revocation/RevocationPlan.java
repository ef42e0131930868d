package dev.oauthbroker.revocation;

import java.util.List;

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

    /**
     * {@code tokens}: what the provider's catalogue {@code revocation} sends for this grant, in order
     * ({@code RevocationSpec.tokensFor}); null when the provider has no revocation.
     */
    public static RevocationPlan of(boolean undecryptable, List<String> tokens) {
        if (undecryptable) {
            return new RevocationPlan(Action.SKIPPED, null, null);
        }
        if (tokens == null || tokens.isEmpty()) {
            return new RevocationPlan(Action.UNSUPPORTED, null, null);
        }
        return new RevocationPlan(Action.REVOKE, tokens.get(0), tokens.size() > 1 ? tokens.get(1) : null);
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
