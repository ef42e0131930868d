package dev.oauthbroker.revocation;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import dev.oauthbroker.grant.Grant;
import dev.oauthbroker.grant.JdbcGrantStore;
import dev.oauthbroker.grant.JdbcGrantStore.DetachResult;
import dev.oauthbroker.provider.Bucket;
import dev.oauthbroker.provider.ProviderCatalog;
import dev.oauthbroker.BrokerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
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

    private final JdbcGrantStore grants;
    private final ProviderCatalog catalog;

    public Disconnects(JdbcGrantStore grants, ProviderCatalog catalog) {
        this.grants = grants;
        this.catalog = catalog;
    }

    /** Step {@code revoke-detach} of {@code DELETE /api/integrations/{toolType}}: the tool detached. */
    public Detached tool(@ExchangeProperty(ExchangeProperties.USER_ID) String userId, @Header("toolType") String tool) {
        if (catalog.tool(tool).isEmpty()) {
            throw BrokerException.notFound("unknown_tool", "no such tool");
        }
        return detach(userId, List.of(tool));
    }

    /** Step {@code revoke-bucket-detach} of {@code DELETE /api/buckets/{bucket}}: every tool of the bucket detached. */
    public Detached bucket(@ExchangeProperty(ExchangeProperties.USER_ID) String userId, @Header("bucket") String name) {
        Bucket bucket = catalog.bucket(name).orElseThrow(() -> BrokerException.notFound("unknown_bucket", "no such bucket"));
        return detach(userId, bucket.tools());
    }

    private Detached detach(String userId, List<String> tools) {
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
        OAuthLog.event(log, "revoke.detached").user(userId).tools(detached).with("grantsToRevoke", orphaned.stream().map(Grant::id).toList()).debug("disconnected locally");
        return new Detached(detached, orphaned);
    }

    /**
     * Step {@code revoke-answer}: {@code outcomes} are the revocation outcomes of the orphaned
     * grants. {@code revocation} is {@code revoked}, {@code failed} or {@code unsupported};
     * {@code skipped} when nothing was sent to the provider — the grant still serves other tools,
     * or (with {@code reason: "undecryptable"}) its tokens cannot be decrypted and it was
     * disconnected locally only.
     */
    public Map<String, Object> answer(@Body List<String> outcomes, @ExchangeProperty(ExchangeProperties.DETACHED) Detached detached) {
        List<String> seen = outcomes == null ? List.of() : outcomes;
        String revocation = seen.contains("failed") ? "failed"
                : seen.contains("revoked") ? "revoked"
                : seen.contains("unsupported") ? "unsupported" : "skipped";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("disconnected", true);
        body.put("tools", detached.tools());
        body.put("revocation", revocation);
        if (seen.contains("skipped")) {
            body.put("reason", Grant.UNDECRYPTABLE);
        }
        return body;
    }

    /** The tools a disconnect detached, and the grants it left without tools (to revoke). */
    public record Detached(List<String> tools, List<Grant> orphaned) {
    }
}
