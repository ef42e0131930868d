package dev.oauthbroker.token;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.authorization.AuthorizationResponses;
import dev.oauthbroker.authorization.PendingAuthorization;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.web.FormEncoding;
import dev.oauthbroker.provider.ClientAuth;
import dev.oauthbroker.provider.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Prepares the message for a {@code to: http} call to a token endpoint (RFC 6749 §4.1.3, §6): the
 * endpoint comes from the catalogue (never from request data), every inbound header is dropped so
 * nothing of the caller travels to the provider, and the client authenticates as the catalogue says.
 */
@Component("tokenRequests")
public class TokenRequests {

    /** Exchange property holding the {@link Grant} a flow works on. */
    public static final String GRANT = "grant";

    private final BrokerProperties properties;
    private final ProviderCatalog catalog;

    public TokenRequests(BrokerProperties properties, ProviderCatalog catalog) {
        this.properties = properties;
        this.catalog = catalog;
    }

    /**
     * Authorization code exchange for the callback's pending request (exchange properties
     * {@code pending} and {@code code}), with the PKCE verifier when one was used.
     */
    public void authorizationCode(Exchange exchange) {
        PendingAuthorization pending = exchange.getProperty(AuthorizationResponses.PENDING, PendingAuthorization.class);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", exchange.getProperty(AuthorizationResponses.CODE, String.class));
        form.put("redirect_uri", properties.redirectUri());
        if (pending.codeVerifier() != null) {
            form.put("code_verifier", pending.codeVerifier());
        }
        Provider provider = catalog.provider(pending.provider());
        post(exchange.getMessage(), provider, provider.tokenUrl(), form);
    }

    /** Refresh of the grant in exchange property {@code grant} (RFC 6749 §6). */
    public void refresh(Exchange exchange) {
        Grant grant = exchange.getProperty(GRANT, Grant.class);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", grant.refreshToken());
        Provider provider = catalog.provider(grant.provider());
        post(exchange.getMessage(), provider, provider.refreshEndpoint(), form);
    }

    static void post(Message message, Provider provider, String url, Map<String, String> form) {
        clearHeaders(message);
        if (provider.clientAuth() == ClientAuth.client_secret_basic) {
            message.setHeader("Authorization", basic(provider));
        } else {
            form.put("client_id", provider.clientId());
            form.put("client_secret", provider.clientSecret());
        }
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        message.setHeader("Accept", "application/json");
        message.setBody(FormEncoding.encode(form));
    }

    /**
     * Drops every header before an outbound call — the caller's included — except Camel's own
     * redelivery bookkeeping, which must survive for retries to count.
     */
    public static void clearHeaders(Message message) {
        message.removeHeaders("*", "CamelRedelivery*", "CamelRedelivered");
    }

    /** RFC 6749 §2.3.1: Basic with the form-urlencoded client id and secret. */
    public static String basic(Provider provider) {
        String pair = FormEncoding.encode(provider.clientId()) + ":" + FormEncoding.encode(provider.clientSecret());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
