package dev.oauthbroker.authorization;

import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import dev.oauthbroker.BrokerException;
import dev.oauthbroker.web.UserAuthentication;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Starts an authorization (RFC 6749 §4.1.1): a random 256-bit {@code state}, a PKCE S256 challenge
 * where the provider supports it, the scopes of every requested tool plus the provider's base
 * scopes, and the provider's extra parameters. The request is kept server-side under the state.
 */
@Component("authorizationRequests")
public class AuthorizationRequests {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationRequests.class);

    private final ProviderCatalog catalog;
    private final JdbcStateStore states;
    private final BrokerProperties properties;

    public AuthorizationRequests(ProviderCatalog catalog, JdbcStateStore states, BrokerProperties properties) {
        this.catalog = catalog;
        this.states = states;
        this.properties = properties;
    }

    /** {@code POST /api/integrations/{toolType}/authorize}. */
    public Map<String, String> forTool(Exchange exchange) {
        String toolType = exchange.getMessage().getHeader("toolType", String.class);
        Tool tool = catalog.tool(toolType)
                .orElseThrow(() -> BrokerException.notFound("unknown_tool", "no tool named '" + clip(toolType) + "'"));
        return start(exchange.getProperty(UserAuthentication.USER_ID, String.class), catalog.providerOf(tool), List.of(tool.id()), null);
    }

    /** {@code POST /api/buckets/{bucket}/authorize}: one consent for every tool of the bucket. */
    public Map<String, String> forBucket(Exchange exchange) {
        String bucketId = exchange.getMessage().getHeader("bucket", String.class);
        Bucket bucket = catalog.bucket(bucketId)
                .orElseThrow(() -> BrokerException.notFound("unknown_bucket", "no bucket named '" + clip(bucketId) + "'"));
        return start(exchange.getProperty(UserAuthentication.USER_ID, String.class), catalog.provider(bucket.provider()), bucket.tools(), bucket.id());
    }

    private Map<String, String> start(String userId, Provider provider, List<String> tools, String bucket) {
        if (!provider.available()) {
            throw new BrokerException(BrokerException.Kind.CONFLICT, "provider_unavailable", provider.displayName() + " is not configured on this broker");
        }
        String state = S256CodeChallenge.randomUrlSafe(32);
        String verifier = provider.pkce() ? S256CodeChallenge.newVerifier() : null;
        states.save(state, new PendingAuthorization(userId, provider.id(), tools, bucket, verifier, states.now()));

        Set<String> scopes = new LinkedHashSet<>(provider.scopes());
        tools.forEach(id -> scopes.addAll(catalog.tool(id).orElseThrow().scopes()));
        UriComponentsBuilder url = UriComponentsBuilder.fromUriString(provider.authorizeUrl())
                .queryParam("response_type", "code")
                .queryParam("client_id", provider.clientId())
                .queryParam("redirect_uri", properties.redirectUri())
                .queryParam(provider.scopeParameter(), provider.scopeValue(scopes))
                .queryParam("state", state);
        if (verifier != null) {
            url.queryParam("code_challenge", S256CodeChallenge.challengeOf(verifier))
                    .queryParam("code_challenge_method", "S256");
        }
        provider.authorizeParams().forEach(url::queryParam);
        OAuthLog.event(log, "connect.authorize").provider(provider.id()).user(userId).tools(tools).with("pkce", verifier != null).info("authorization started");
        return Map.of("authUrl", url.encode().build().toUriString());
    }

    private static String clip(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.replaceAll("[^A-Za-z0-9_.-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) : safe;
    }
}
