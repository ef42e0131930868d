package dev.oauthbroker.revocation;

import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.JdbcGrantStore.DetachResult;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.web.BrokerException;
import dev.oauthbroker.web.UserAuthentication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The local half of a disconnect: detach the user's tools (soft: rows kept). A grant is returned
 * for revocation only when its last tool left — a shared Atlassian or Microsoft grant keeps working
 * for the user's other tools.
 */
@Component("disconnects")
public class Disconnects {

    private static final Logger log = LoggerFactory.getLogger(Disconnects.class);

    public static final String TOOLS = "disconnectedTools";

    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;

    public Disconnects(JdbcGrantStore grants, ProviderCatalog catalog) {
        this.grants = grants;
        this.catalog = catalog;
    }

    /** {@code DELETE /api/integrations/{toolType}}: the grants to revoke (0 or 1). */
    public List<Grant> tool(Exchange exchange) {
        String tool = exchange.getMessage().getHeader("toolType", String.class);
        if (catalog.tool(tool).isEmpty()) {
            throw BrokerException.notFound("unknown_tool", "no such tool");
        }
        return detach(exchange, List.of(tool));
    }

    /** {@code DELETE /api/buckets/{bucket}}: every tool of the bucket. */
    public List<Grant> bucket(Exchange exchange) {
        Bucket bucket = catalog.bucket(exchange.getMessage().getHeader("bucket", String.class))
                .orElseThrow(() -> BrokerException.notFound("unknown_bucket", "no such bucket"));
        return detach(exchange, bucket.tools());
    }

    private List<Grant> detach(Exchange exchange, List<String> tools) {
        String userId = exchange.getProperty(UserAuthentication.USER_ID, String.class);
        List<String> detached = new ArrayList<>();
        List<Grant> orphaned = new ArrayList<>();
        for (String tool : tools) {
            DetachResult result = grants.detach(userId, tool);
            if (result.wasConnected()) {
                detached.add(tool);
            }
            if (result.orphaned() != null) {
                orphaned.add(result.orphaned());
            }
        }
        if (detached.isEmpty()) {
            throw BrokerException.notFound("not_connected", "nothing to disconnect: " + String.join(", ", tools) + " not connected");
        }
        exchange.setProperty(TOOLS, detached);
        OAuthLog.event(log, "revoke.detached").user(userId).tools(detached).took(exchange).with("grantsToRevoke", orphaned.stream().map(Grant::id).toList()).debug("disconnected locally");
        return orphaned;
    }

    /**
     * Body: the revocation outcomes of the orphaned grants. {@code revocation} is {@code revoked},
     * {@code failed} or {@code unsupported}; {@code skipped} when nothing was sent to the provider —
     * the grant still serves other tools, or (with {@code reason: "undecryptable"}) its tokens
     * cannot be decrypted and it was disconnected locally only.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> answer(Exchange exchange) {
        List<String> outcomes = exchange.getMessage().getBody(List.class);
        List<String> tools = exchange.getProperty(TOOLS, List.class);
        List<String> seen = outcomes == null ? List.of() : outcomes;
        String revocation = seen.contains("failed") ? "failed"
                : seen.contains("revoked") ? "revoked"
                : seen.contains("unsupported") ? "unsupported" : "skipped";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("disconnected", true);
        body.put("tools", tools);
        body.put("revocation", revocation);
        if (seen.contains("skipped")) {
            body.put("reason", Grant.UNDECRYPTABLE);
        }
        return body;
    }
}
