package dev.oauthbroker.token;

import java.util.Map;

/**
 * One HTTP request to a provider, built by a flow's bean from the catalogue and the grant (never
 * from request data) and sent by the shared {@code provider-call} route. {@code purpose} says how
 * the answer is read. Its {@link #toString()} shows no header or body: they carry tokens and secrets.
 */
public record ProviderRequest(String provider, Purpose purpose, String method, String url, Map<String, String> headers, String body) {

    /** What the call is for, which chooses how its answer is classified. */
    public enum Purpose {
        /** RFC 6749 §4.1.3: the authorization code exchanged for tokens. */
        CODE_EXCHANGE,
        /** RFC 6749 §6: a refresh token exchanged for new tokens. */
        REFRESH,
        /** RFC 7009 or the provider's own revocation. */
        REVOCATION,
        /** The provider's identity endpoint called with the access token. */
        IDENTITY
    }

    public ProviderRequest {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ProviderRequest[" + provider + " " + purpose + " " + method + "]";
    }
}
