package dev.oauthbroker.provider;

/**
 * A refresh of a rotating refresh token was sent, its answer lost, replayed once, and the replay's
 * answer lost too. Nothing says the grant is dead — only the provider's {@code invalid_grant} does
 * — so it is left as it is (the next refresh sends the stored token again). Not retried.
 */
public class LostRefreshAnswerException extends ProviderException {
    public LostRefreshAnswerException() {
        super("timeout_after_replay", "the refresh answer was lost twice; the grant is left as it is");
    }
}
