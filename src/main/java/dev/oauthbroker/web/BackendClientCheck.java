package dev.oauthbroker.web;

import dev.oauthbroker.client.BackendClient;
import dev.oauthbroker.client.BackendClients;
import dev.oauthbroker.client.Operation;
import dev.oauthbroker.client.TokenHandouts;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Admits backend clients to {@code /internal} (key in {@code X-Broker-Key}) and to the token
 * exchange {@code POST /oauth/token} ({@code X-Broker-Key}, or HTTP Basic {@code client_id:key} as
 * RFC 6749 §2.3.1 has it): the key must be one of a client's, the client allowed the operation
 * and, on a token path, the path's tool — else 401, 403 {@code forbidden_tool} (before any route
 * runs: never a hint whether the user is connected) or, on the exchange, RFC 6749 §5.2's
 * {@code invalid_client} / {@code unauthorized_client}. A source address past its failed
 * authentications gets 429 with {@code Retry-After} ({@link KeyGuessLimiter}). Every token answer
 * is recorded with its client ({@link TokenHandouts}).
 */
@Component
public class BackendClientCheck {

    static final String TOKEN_EXCHANGE = "/oauth/token";
    /** {@code /internal/users/{userId}/tokens/{toolType}} and its {@code /rejected}. */
    private static final Pattern TOKEN_PATH = Pattern.compile("^/internal/users/(.+)/tokens/([^/]+)(/rejected)?$");
    private static final String HANDOUT = BackendClientCheck.class.getName() + ".handout";

    private final BackendClients clients;
    private final KeyGuessLimiter limiter;
    private final TokenHandouts handouts;

    public BackendClientCheck(BackendClients clients, KeyGuessLimiter limiter, TokenHandouts handouts) {
        this.clients = clients;
        this.limiter = limiter;
        this.handouts = handouts;
    }

    /** Whether the request may go on; when not, the refusal is written. */
    boolean admit(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        boolean exchange = path.equalsIgnoreCase(TOKEN_EXCHANGE);
        String address = request.getRemoteAddr();
        Duration wait = limiter.waitFor(address);
        if (!wait.isZero()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
            refuse(response, 429, "too_many_attempts", "too many failed authentications from this address; try again after Retry-After", exchange);
            return false;
        }
        Credentials credentials = credentialsOf(request, exchange);
        Optional<BackendClient> client = credentials.clientId() == null ? clients.authenticate(credentials.key())
                : clients.authenticate(credentials.clientId(), credentials.key());
        if (client.isEmpty()) {
            limiter.failed(address);
            handouts.authenticationFailed(clients.byId(credentials.clientId()).map(BackendClient::id).orElse("unknown"));
            response.setHeader("WWW-Authenticate", exchange ? "Basic realm=\"oauth-broker\"" : "Bearer");
            refuse(response, 401, exchange ? "invalid_client" : "unauthorized",
                    exchange ? "client authentication failed" : "a valid X-Broker-Key is required", exchange);
            return false;
        }
        BackendClient admitted = client.get();
        Operation operation = exchange ? Operation.exchange : Operation.tokens;
        if (!admitted.may(operation)) {
            refuse(response, exchange ? 400 : 403, exchange ? "unauthorized_client" : "forbidden_operation",
                    "client " + admitted.id() + " may not use " + (exchange ? "the token exchange" : "the internal token endpoints"), exchange);
            return false;
        }
        Matcher token = TOKEN_PATH.matcher(path);
        if (token.matches()) {
            if (!admitted.mayFetch(token.group(2))) {
                refuse(response, 403, "forbidden_tool", "client " + admitted.id() + " may not obtain tokens of " + token.group(2), false);
                return false;
            }
            request.setAttribute(HANDOUT, new Handout(admitted.id(), token.group(1), token.group(2)));
        }
        request.setAttribute(ApiAuthenticationFilter.CLIENT, admitted.id());
        return true;
    }

    /** After the chain: the token answer recorded with its client once its status is final. */
    void recordAnswer(HttpServletRequest request, HttpServletResponse response) {
        if (!(request.getAttribute(HANDOUT) instanceof Handout handout)) {
            return;
        }
        Runnable record = () -> handouts.answered(handout.client(), handout.user(), handout.tool(), response.getStatus());
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    record.run();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
        } else {
            record.run();
        }
    }

    private static Credentials credentialsOf(HttpServletRequest request, boolean exchange) {
        String authorization = request.getHeader("Authorization");
        if (exchange && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    return new Credentials(pair.substring(0, colon), pair.substring(colon + 1));
                }
            } catch (IllegalArgumentException notBase64) {
                // refused below like any wrong credential
            }
            return new Credentials("", "");
        }
        return new Credentials(null, request.getHeader("X-Broker-Key"));
    }

    /** docs/design.md's {@code {error, message}}; on the token exchange RFC 6749 §5.2's {@code {error, error_description}}. */
    private static void refuse(HttpServletResponse response, int status, String error, String message, boolean exchange) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("error", error);
        fields.put(exchange ? "error_description" : "message", message);
        response.setHeader("Cache-Control", "no-store");
        JsonErrorBody.send(response, status, fields);
    }

    private record Credentials(String clientId, String key) {
    }

    /** A token path's client, user and tool, parsed once by {@link #admit} for {@link #recordAnswer}. */
    private record Handout(String client, String user, String tool) {
    }
}
