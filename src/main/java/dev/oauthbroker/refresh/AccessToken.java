package dev.oauthbroker.refresh;

import dev.oauthbroker.grant.Grant;
import java.time.Instant;
import java.util.List;

/** The answer of the {@code token} flow. {@link #toString()} never shows the token. */
public record AccessToken(String accessToken, String tokenType, Instant expiresAt, List<String> scopes) {

    static AccessToken of(Grant grant) {
        return new AccessToken(grant.accessToken(), grant.tokenType(), grant.expiresAt(), grant.scopes());
    }

    @Override
    public String toString() {
        // cheap: Camel's "${body} == null" (the token flow's cache test) writes the body into its unused mismatch message on every hit
        return "AccessToken[" + tokenType + "]";
    }
}
