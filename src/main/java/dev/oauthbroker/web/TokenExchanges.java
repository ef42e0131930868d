package dev.oauthbroker.web;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.client.BackendClients;
import dev.oauthbroker.client.TokenHandouts;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * RFC 8693 token exchange at {@code POST /oauth/token}: a backend client (admitted by
 * {@link BackendClientCheck}) trades the signed-in user's own session JWT ({@code subject_token},
 * checked exactly as the user API checks it) for one tool's access token ({@code resource} or
 * {@code audience} = the tool); the answer is the token flow's ({@code TokenAccess.exchanged}). The user is the JWT's subject and no one else, so a client whose
 * only operation is {@code exchange} gets nothing from a leaked key without a live session token.
 * Errors are RFC 6749 §5.2's ({@link #error}).
 */
@Component("tokenExchanges")
public class TokenExchanges {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final Set<String> RFC_CODES = Set.of("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
            "unsupported_grant_type", "invalid_scope", "invalid_target");

    private final UserAuthentication users;
    private final BackendClients clients;
    private final ProviderCatalog catalog;
    private final TokenHandouts handouts;

    public TokenExchanges(UserAuthentication users, BackendClients clients, ProviderCatalog catalog, TokenHandouts handouts) {
        this.users = users;
        this.clients = clients;
        this.catalog = catalog;
        this.handouts = handouts;
    }

    /** Step {@code token-exchange-request}: whose token of which tool, or an RFC 6749 §5.2 refusal. */
    public Subject request(@Header("grant_type") String grantType, @Header("subject_token") String subjectToken,
                           @Header("subject_token_type") String subjectTokenType, @Header("requested_token_type") String requested,
                           @Header("resource") String resource, @Header("audience") String audience,
                           @ExchangeProperty(ExchangeProperties.CLIENT_ID) String clientId) {
        if (!GRANT_TYPE.equals(grantType)) {
            throw refused("unsupported_grant_type", "grant_type must be " + GRANT_TYPE);
        }
        if (subjectToken == null || subjectToken.isBlank() || !JWT.equals(subjectTokenType)) {
            throw refused("invalid_request", "subject_token (the user's session JWT) and subject_token_type " + JWT + " are required");
        }
        if (requested != null && !requested.isBlank() && !ACCESS_TOKEN.equals(requested)) {
            throw refused("invalid_request", "requested_token_type can only be " + ACCESS_TOKEN);
        }
        String tool = resource != null && !resource.isBlank() ? resource : audience;
        if (tool == null || tool.isBlank() || (resource != null && audience != null && !resource.equals(audience))) {
            throw refused("invalid_target", "name one tool as resource or audience");
        }
        if (catalog.tool(tool).isEmpty() || !clients.byId(clientId).map(client -> client.mayFetch(tool)).orElse(false)) {
            throw refused("invalid_target", "this client may not obtain tokens of that tool");
        }
        String userId;
        try {
            userId = users.userIdOf("Bearer " + subjectToken);
        } catch (BrokerException invalid) {
            throw refused("invalid_grant", "the subject_token is not a valid session token: " + invalid.getMessage());
        }
        return new Subject(userId, tool);
    }

    /**
     * RFC 6749 §5.2's error for what {@link ErrorResponses} decided: the caller's mistakes 400 with an
     * RFC code (a broker code such as {@code not_connected} or {@code reauth_required} is
     * {@code invalid_grant}, and kept as {@code broker_error}); 401 stays {@code invalid_client};
     * 5xx {@code temporarily_unavailable} or {@code server_error}.
     */
    Map<String, Object> error(int status, String error, String message, String client, String userId, String tool) {
        Map<String, Object> body = new LinkedHashMap<>();
        String code = RFC_CODES.contains(error) ? error
                : status == 401 ? "invalid_client"
                : status == 503 ? "temporarily_unavailable"
                : status >= 500 ? "server_error"
                : "invalid_grant";
        body.put("error", code);
        body.put("error_description", message);
        if (!code.equals(error)) {
            body.put("broker_error", error);
        }
        if (client != null && userId != null) {
            handouts.answered(client, userId, tool, status);
        }
        return body;
    }

    private static BrokerException refused(String code, String message) {
        return new BrokerException(BrokerException.Kind.INVALID, code, message);
    }

    /** Whose token of which tool an exchange asks for. */
    public record Subject(String userId, String toolType) {
    }
}
