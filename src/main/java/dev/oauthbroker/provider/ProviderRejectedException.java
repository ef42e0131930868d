package dev.oauthbroker.provider;

/**
 * The provider refused the request for a reason the user cannot fix by reconnecting (bad client
 * credentials, malformed request, a 200 without an access token). Not retried.
 */
public class ProviderRejectedException extends ProviderException {
    public ProviderRejectedException(String reason) {
        super(sanitize(reason), "the provider rejected the token request (" + sanitize(reason) + ")");
    }
}
