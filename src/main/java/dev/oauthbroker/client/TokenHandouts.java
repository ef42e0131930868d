package dev.oauthbroker.client;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OffThreadLog;
import dev.oauthbroker.provider.ProviderCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.springframework.stereotype.Component;

/**
 * Who fetched what: every answer of the token endpoints to a backend client is counted
 * ({@code broker_token_handouts_total{client,tool,outcome}}), logged with client, user, tool and
 * outcome (never the token; the line written off the request thread, {@link OffThreadLog}), and kept as that client's last fetch of the user's tool. Failed
 * authentications are counted by client ({@code broker_client_auth_failures_total}). Tags stay
 * bounded: a tool outside the catalogue is {@code unknown}, a client id no client has is {@code unknown}.
 */
@Component
public class TokenHandouts {


    /** A line per answer: written off the request thread. */
    private final Logger log = OffThreadLog.of(TokenHandouts.class);
    private final MeterRegistry registry;
    private final Map<List<String>, Counter> handouts = new ConcurrentHashMap<>();
    private final ProviderCatalog catalog;
    private final JdbcClientFetches fetches;
    private final Clock clock;

    public TokenHandouts(MeterRegistry registry, ProviderCatalog catalog, JdbcClientFetches fetches, Clock clock) {
        this.registry = registry;
        this.catalog = catalog;
        this.fetches = fetches;
        this.clock = clock;
    }

    /** A token answer to a client; {@code status} the HTTP status it got. */
    public void answered(String client, String user, String tool, int status) {
        String outcome = outcomeOf(status);
        String knownTool = tool != null && catalog.tool(tool).isPresent() ? tool : "unknown";
        // one meter per (client, tool, outcome), looked up in a map of our own: no registry search per request
        handouts.computeIfAbsent(List.of(client, knownTool, outcome), key -> Counter.builder("broker.token.handouts")
                .description("token answers to backend clients by client, tool and outcome")
                .tag("client", client).tag("tool", knownTool).tag("outcome", outcome).register(registry)).increment();
        // key-value pairs as OAuthLog writes them (structured logs carry them as fields); never the token
        log.atInfo().addKeyValue("event", "token.handout").addKeyValue("client", client).addKeyValue("userId", user)
                .addKeyValue("toolType", tool).addKeyValue("outcome", outcome).addKeyValue("status", status)
                .log("token answer to a backend client (event=token.handout client={} user={} tool={} outcome={} status={})",
                        client, user, tool, outcome, status);
        if (user != null && !"unknown".equals(knownTool)) {
            fetches.record(client, user, tool, outcome, clock.instant());
        }
    }

    /** Route step after a successful token exchange: the client's handout of the user's tool. */
    public void exchanged(@ExchangeProperty(ExchangeProperties.CLIENT_ID) String client, @ExchangeProperty(ExchangeProperties.USER_ID) String user,
                          @ExchangeProperty(ExchangeProperties.TOOL_TYPE) String tool) {
        answered(client, user, tool, 200);
    }

    /** A failed authentication; {@code client} the id it claimed, when one of ours ({@code unknown} otherwise). */
    public void authenticationFailed(String client) {
        Counter.builder("broker.client.auth.failures").description("failed backend client authentications by claimed client")
                .tag("client", client).register(registry).increment();
    }

    /** The outcome word of a token answer's status (docs/design.md's statuses of the token endpoint). */
    static String outcomeOf(int status) {
        return switch (status) {
            case 200 -> "ok";
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden_tool";
            case 404 -> "not_connected";
            case 409 -> "refused";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }
}
