package dev.oauthbroker.token;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import dev.oauthbroker.authorization.PendingAuthorization;
import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.provider.ClientAuth;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.FormEncoding;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Builds the requests to token endpoints (RFC 6749 §4.1.3, §6) and RFC 7009 revocation endpoints:
 * the endpoint comes from the catalogue (never from request data), and the client authenticates as
 * the catalogue says.
 */
@Component("tokenRequests")
public class TokenRequests {

    private final BrokerProperties properties;
    private final ProviderCatalog catalog;

    public TokenRequests(BrokerProperties properties, ProviderCatalog catalog) {
        this.properties = properties;
        this.catalog = catalog;
    }

    /** Authorization code exchange for a completed connect flow, with the PKCE verifier when one was used. */
    public ProviderRequest authorizationCode(@ExchangeProperty(ExchangeProperties.CALLED_BACK) CalledBack calledBack) {
        PendingAuthorization pending = calledBack.request();
        String code = calledBack.code();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", properties.redirectUri());
        if (pending.codeVerifier() != null) {
            form.put("code_verifier", pending.codeVerifier());
        }
        Provider provider = catalog.provider(pending.provider());
        return post(provider, ProviderRequest.Purpose.CODE_EXCHANGE, provider.tokenUrl(), form);
    }

    /** Refresh of a grant (RFC 6749 §6). */
    public ProviderRequest refresh(@ExchangeProperty(ExchangeProperties.GRANT) Grant grant) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", grant.refreshToken());
        Provider provider = catalog.provider(grant.provider());
        return post(provider, ProviderRequest.Purpose.REFRESH, provider.refreshEndpoint(), form);
    }

    static ProviderRequest post(Provider provider, ProviderRequest.Purpose purpose, String url, Map<String, String> form) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (provider.clientAuth() == ClientAuth.client_secret_basic) {
            headers.put("Authorization", basic(provider));
        } else {
            form.put("client_id", provider.clientId());
            form.put("client_secret", provider.clientSecret());
        }
        headers.put(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        return new ProviderRequest(provider.id(), purpose, "POST", url, headers, FormEncoding.encode(form));
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
