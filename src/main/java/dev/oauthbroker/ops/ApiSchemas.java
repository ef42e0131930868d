package dev.oauthbroker.ops;

import java.time.Instant;
import java.util.List;

/**
 * The JSON bodies of the HTTP API as types, for its OpenAPI description only: the {@code type} and
 * {@code outType} of {@code routes/rest-api.camel.yaml} name them (the REST binding is off, the
 * flows read and write the JSON themselves), and {@code OpenApiTests} checks them against real answers.
 */
public final class ApiSchemas {

    private ApiSchemas() {}

    /** Every error answer: {@code error} is a stable code ({@code not_connected}, {@code provider_unavailable}, …). */
    public record Error(String error, String message) {}

    /**
     * The 409 of the internal token endpoint: {@link Error} plus, for {@code missing_scopes}, the
     * tool's catalogue scopes the user has not granted ({@code missing}; absent for other errors).
     */
    public record MissingScopesError(String error, String message, List<String> missing) {}

    /** {@code adminConsent}: the tool asks a scope only an administrator can grant (POST /api/buckets/{bucket}/admin-consent). */
    public record ToolView(String toolType, String displayName, String provider, String bucket, boolean available,
                           boolean degraded, List<String> gives, boolean comingSoon, boolean adminConsent) {}

    public record BucketView(String id, String displayName, String provider, List<String> tools, boolean available,
                             boolean degraded, List<String> gives, boolean comingSoon) {}

    /** {@code GET /api/tools}. */
    public record Catalogue(List<ToolView> tools, List<BucketView> buckets) {}

    /**
     * One catalogue tool as the user has it; {@code status} ∈ connected, expiring, reauth_required,
     * missing_scopes, disconnected. {@code scopes}: what the provider granted the tool's grant;
     * {@code missingScopes}: the tool's catalogue scopes it lacks (non-empty exactly when missing_scopes).
     */
    public record Integration(String toolType, boolean isConnected, String status,
                              Instant connectedAt, Instant expiresAt, Long expiresInSeconds, Long tokenAgeSeconds,
                              Instant lastRefreshedAt, Instant lastValidatedAt, List<String> scopes, List<String> missingScopes,
                              boolean hasRefreshToken, String lastError, String reason) {}

    /** {@code GET /api/integrations}. */
    public record Integrations(List<Integration> integrations) {}

    /** Where to send the browser for the provider's consent. */
    public record AuthorizeAnswer(String authUrl) {}

    /** {@code POST /api/buckets/{bucket}/admin-consent}: the link a user forwards to their administrator. */
    public record AdminConsentAnswer(String adminConsentUrl) {}

    /** {@code POST /api/integrations/complete}: the id the callback handed to the frontend. */
    public record CompleteRequest(String pending) {}

    public record CompleteAnswer(boolean success, List<String> tools) {}

    /** {@code revocation} ∈ revoked, failed, unsupported, skipped. */
    public record Disconnected(boolean disconnected, List<String> tools, String revocation, String reason) {}

    public record Validation(String toolType, boolean valid, String status, String reason, boolean refreshed) {}

    /** {@code POST /api/integrations/validate}. */
    public record Validations(List<Validation> results) {}

    /** {@code POST /internal/users/{userId}/tokens/{toolType}/rejected}: the access token the provider refused. */
    public record RejectedToken(String accessToken) {}

    /** The internal token endpoints' answer, the only one carrying a token. */
    public record AccessToken(String accessToken, String tokenType, Instant expiresAt, List<String> scopes) {}

    /** RFC 8693 §2.2.1's answer of the token exchange. */
    public record ExchangedToken(String access_token, String issued_token_type, String token_type, Long expires_in, String scope) {}

    /** RFC 6749 §5.2's error of the token exchange; {@code broker_error} the broker's own code where it was mapped. */
    public record OAuthError(String error, String error_description, String broker_error) {}
}
