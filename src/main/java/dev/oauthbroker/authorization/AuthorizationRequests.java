package dev.oauthbroker.authorization;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.GrantStatus;
import dev.oauthbroker.grant.GrantedScopes;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.Provider;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.provider.Tool;
import dev.oauthbroker.BrokerException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Starts an authorization (RFC 6749 §4.1.1): a random 256-bit {@code state}, a PKCE S256 challenge
 * where the provider supports it, the scopes of every requested tool plus the provider's base
 * scopes, and the provider's extra parameters. The request is kept server-side under the state.
 *
 * <p><b>Grant access</b>: for a tool whose live grant lacks some of its catalogue scopes
 * ({@code missing_scopes}), the request upgrades that grant instead — it asks for what the grant's
 * tools lack only where the provider adds scopes to an existing grant
 * ({@link Provider#incrementalAuthorization()}, Google's {@code include_granted_scopes=true}), else
 * for the grant's full set again, and its completion updates the same grant.
 */
@Component("authorizationRequests")
public class AuthorizationRequests {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationRequests.class);

    private final ProviderCatalog catalog;
    private final JdbcStateStore states;
    private final JdbcGrantStore grants;
    private final BrokerProperties properties;

    public AuthorizationRequests(ProviderCatalog catalog, JdbcStateStore states, JdbcGrantStore grants, BrokerProperties properties) {
        this.catalog = catalog;
        this.states = states;
        this.grants = grants;
        this.properties = properties;
    }

    /**
     * {@code POST /api/integrations/{toolType}/authorize}: a new consent for the tool, or Grant access
     * when the tool's live grant lacks some of its scopes.
     */
    public Map<String, String> forTool(@Header("toolType") String toolType, @ExchangeProperty(ExchangeProperties.USER_ID) String userId) {
        Tool tool = catalog.tool(toolType)
                .orElseThrow(() -> BrokerException.notFound("unknown_tool", "no tool named '" + clip(toolType) + "'"));
        Provider provider = catalog.providerOf(tool);
        Optional<Grant> lacking = grants.findByUserTool(userId, tool.id())
                .filter(g -> g.status() == GrantStatus.active && g.provider().equals(provider.id()))
                .filter(g -> !GrantedScopes.missing(tool.scopes(), g.scopes()).isEmpty());
        if (lacking.isPresent()) {
            return grantAccess(userId, provider, lacking.get());
        }
        return start(userId, provider, List.of(tool.id()), null, scopesOf(provider, List.of(tool.id())), null);
    }

    /**
     * Grant access for a grant lacking scopes: what its tools lack (incremental providers) or their
     * full set again (all others), for the grant's own tools, its completion updating the grant.
     */
    private Map<String, String> grantAccess(String userId, Provider provider, Grant grant) {
        // the grant's tools in catalogue order, so the scopes read as the catalogue lists them
        List<String> tools = provider.tools().stream().map(Tool::id).filter(grant.tools()::contains).toList();
        Set<String> scopes = new LinkedHashSet<>();
        if (provider.incrementalAuthorization()) {
            tools.forEach(id -> scopes.addAll(GrantedScopes.missing(catalog.tool(id).orElseThrow().scopes(), grant.scopes())));
        } else {
            scopes.addAll(scopesOf(provider, tools));
        }
        OAuthLog.event(log, "connect.grant_access").grant(grant).with("asked", scopes).info("grant access started for missing scopes");
        return start(userId, provider, grant.tools(), null, scopes, grant.id());
    }

    /** The provider's base scopes and every scope of {@code tools}, in catalogue order. */
    private Set<String> scopesOf(Provider provider, List<String> tools) {
        Set<String> scopes = new LinkedHashSet<>(provider.scopes());
        tools.forEach(id -> catalog.tool(id).ifPresent(t -> scopes.addAll(t.scopes())));
        return scopes;
    }

    /** {@code POST /api/buckets/{bucket}/authorize}: one consent for every tool of the bucket. */
    public Map<String, String> forBucket(@Header("bucket") String bucketId, @ExchangeProperty(ExchangeProperties.USER_ID) String userId) {
        Bucket bucket = catalog.bucket(bucketId)
                .orElseThrow(() -> BrokerException.notFound("unknown_bucket", "no bucket named '" + clip(bucketId) + "'"));
        Provider provider = catalog.provider(bucket.provider());
        return start(userId, provider, bucket.tools(), bucket.id(),
                scopesOf(provider, bucket.tools()), null);
    }

    private Map<String, String> start(String userId, Provider provider, List<String> tools, String bucket, Set<String> scopes,
                                      UUID upgradeGrant) {
        if (!provider.available()) {
            throw new BrokerException(BrokerException.Kind.CONFLICT, "provider_unavailable", provider.displayName() + " is not configured on this broker");
        }
        String state = S256CodeChallenge.randomUrlSafe(32);
        String verifier = provider.pkce() ? S256CodeChallenge.newVerifier() : null;
        states.save(state, new PendingAuthorization(userId, provider.id(), tools, bucket, verifier, states.now(),
                List.copyOf(scopes), upgradeGrant));

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
