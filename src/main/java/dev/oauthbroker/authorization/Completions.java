package dev.oauthbroker.authorization;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.logging.OAuthLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.authorization.JdbcStateStore.CalledBack;
import dev.oauthbroker.BrokerException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The second half of a connect flow (RFC 9700 §4.7, docs/design.md "Connect flow, callback and
 * completion"): a valid state alone stores nothing, since whoever started the flow can send its
 * authorization URL to someone else. The callback keeps the code under an opaque pending id; only
 * the signed-in user who started the flow turns it into a grant. Anyone else's attempt, an unknown,
 * used or expired id all end the pending flow without a token request.
 */
@Component("completions")
public class Completions {

    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcStateStore states;
    private final Duration maxAge;

    public Completions(JdbcStateStore states, BrokerProperties properties) {
        this.states = states;
        this.maxAge = properties.state().completionMaxAge();
    }

    /** Step {@code callback-keep-code}: keeps the checked code for its user; answers the pending id for the frontend. */
    public String keep(@ExchangeProperty(ExchangeProperties.CALLED_BACK) CalledBack calledBack) {
        PendingAuthorization pending = calledBack.request();
        String pendingId = states.keepForCompletion(pending, calledBack.code());
        OAuthLog.event(log, "connect.callback").provider(pending.provider()).user(pending.userId()).tools(pending.tools()).info("callback accepted, waiting for completion");
        return pendingId;
    }

    /**
     * Step {@code callback-claim} of {@code POST /api/integrations/complete} {@code {pending}}:
     * consumes the pending flow and answers it when the authenticated user started it.
     */
    public CalledBack claim(@ExchangeProperty(ExchangeProperties.USER_ID) String userId, @Body String body) {
        String pendingId = pendingIdOf(body);
        CalledBack calledBack = states.consumePending(pendingId).orElseThrow(Completions::expired);
        PendingAuthorization request = calledBack.request();
        Duration age = Duration.between(request.createdAt(), states.now());
        if (age.compareTo(maxAge) > 0) {
            OAuthLog.event(log, "connect.completion_refused").provider(request.provider()).user(userId).with("reason", "expired").with("ageSeconds", age.toSeconds()).info("completion refused: expired");
            throw expired();
        }
        if (!request.userId().equals(userId)) {
            OAuthLog.event(log, "connect.completion_refused").provider(request.provider()).user(userId).with("startedBy", request.userId()).with("reason", "foreign_flow").warn("completion refused: flow started by another user");
            throw new BrokerException(BrokerException.Kind.FOREIGN, "foreign_flow",
                    "This connection was started by a different account, so nothing was connected. Start connecting again from your own account.");
        }
        return calledBack;
    }

    /** The completion's answer: {@code {success:true, tools:[...]}}. */
    public Map<String, Object> answer(@ExchangeProperty(ExchangeProperties.CALLED_BACK) CalledBack calledBack) {
        PendingAuthorization pending = calledBack.request();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("tools", pending.tools());
        return answer;
    }

    private static String pendingIdOf(String body) {
        JsonNode pending;
        try {
            pending = body == null || body.isBlank() ? null : JSON.readTree(body).get("pending");
        } catch (IOException e) {
            pending = null;
        }
        if (pending == null || !pending.isTextual() || pending.asText().isBlank() || pending.asText().length() > 200) {
            throw new BrokerException(BrokerException.Kind.INVALID, "invalid_request", "the body must be JSON {\"pending\": \"<id from the callback>\"}");
        }
        return pending.asText();
    }

    private static BrokerException expired() {
        return new BrokerException(BrokerException.Kind.EXPIRED, "expired",
                "This connection is unknown, was already completed or took too long. Please start connecting again.");
    }
}
