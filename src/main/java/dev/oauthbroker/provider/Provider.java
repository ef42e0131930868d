package dev.oauthbroker.provider;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An OAuth authorization server and our client registration at it, as written in
 * {@code config/providers.yaml} with placeholders resolved.
 *
 * @param revocation how a grant is revoked on disconnect; null = no per-token revocation
 * @param identity the identity check validation makes with an access token; null = none
 * @param errors how the token endpoint says no (dead grant, try later)
 * @param scopeParameter the authorize parameter carrying the scopes (Slack v2: {@code user_scope})
 * @param scopeDelimiter what separates them (RFC 6749 §3.3: a space; Slack: a comma)
 * @param refreshTokenRotation whether every refresh returns a new refresh token and kills the old
 *     one, so a refresh token must never be sent twice blindly (RFC 9700 §4.14.2)
 * @param refreshTokenReuseLeeway how long a rotated refresh token still works (Atlassian: 10 min);
 *     zero when a reused one is rejected at once
 * @param replayAfterTimeout whether a refresh whose answer was lost (a timeout after sending) may
 *     send its rotating refresh token once more; false for a provider known to revoke the whole
 *     token family on reuse
 * @param refreshBuffer how long before expiry an access token is refreshed proactively; null =
 *     the service-wide {@code broker.refresh.buffer}
 * @param refreshConcurrency the most refreshes this service runs against the provider at once (its
 *     bulkhead: that many threads of its own), so a slow provider holds only its own threads
 * @param credentialVariables the environment variables the catalogue names for the client id and
 *     secret (from their placeholders), for saying what is missing — never their values
 * @param adminConsent the scopes only an administrator can grant and where one grants them;
 *     null = every scope is user-consentable
 */
public record Provider(
        String id,
        String displayName,
        String authorizeUrl,
        String tokenUrl,
        String refreshUrl,
        RevocationSpec revocation,
        IdentitySpec identity,
        AnswerRules errors,
        TokenFields tokenFields,
        String issuer,
        String clientId,
        String clientSecret,
        ClientAuth clientAuth,
        boolean pkce,
        List<String> scopes,
        String scopeParameter,
        String scopeDelimiter,
        Map<String, String> authorizeParams,
        boolean refreshTokenRotation,
        Duration refreshTokenReuseLeeway,
        boolean replayAfterTimeout,
        Duration refreshBuffer,
        int refreshConcurrency,
        List<Tool> tools,
        List<String> credentialVariables,
        AdminConsent adminConsent) {

    /** Credentials resolved non-empty: the provider can be used. */
    public boolean available() {
        return !clientId.isBlank() && !clientSecret.isBlank();
    }

    /** Whether connecting the tool needs an administrator's consent first (in a default tenant). */
    public boolean needsAdminConsent(Tool tool) {
        return adminConsent != null && adminConsent.neededBy(tool);
    }

    /** The value of the authorize request's {@link #scopeParameter()}. */
    public String scopeValue(Collection<String> scopes) {
        return String.join(scopeDelimiter, scopes);
    }

    /**
     * Whether the provider adds newly asked scopes to the user's existing grant (incremental
     * authorization): its authorize request carries {@code include_granted_scopes=true} (Google).
     * Grant access then asks for the missing scopes only; other providers are asked for the full set.
     */
    public boolean incrementalAuthorization() {
        return "true".equalsIgnoreCase(authorizeParams.get("include_granted_scopes"));
    }

    /** Where refresh requests go: {@code refreshUrl} if the provider has a separate one (Figma). */
    public String refreshEndpoint() {
        return refreshUrl == null ? tokenUrl : refreshUrl;
    }

    /**
     * Whether a refresh whose answer was lost (timeout after sending) may be sent again: yes when
     * refresh tokens do not rotate or a reused one is still honoured for a while.
     */
    public boolean mayReplayRefreshToken() {
        return !refreshTokenRotation || !refreshTokenReuseLeeway.isZero();
    }

    @Override
    public String toString() {
        return "Provider[" + id + ", available=" + available() + "]";
    }
}
