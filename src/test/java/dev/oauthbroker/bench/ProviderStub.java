package dev.oauthbroker.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth provider for the benchmark (RFC 6749 §6) with a fixed answer latency and strict
 * refresh-token rotation: a refresh token {@code rt-<family>-<generation>} is good exactly once,
 * for the current generation of its family; any other is answered {@code invalid_grant}, as
 * Atlassian or Zoom answer a reused rotated token. {@code GET /userinfo} accepts any bearer.
 */
final class ProviderStub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Integer> generations = new ConcurrentHashMap<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger invalidGrants = new AtomicInteger();
    private volatile Duration latency;

    ProviderStub(Duration latency) throws IOException {
        this.latency = latency;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/token", this::token);
        server.createContext("/userinfo", exchange -> answer(exchange, 200, "{\"sub\":\"bench\"}"));
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    static String refreshToken(String family, int generation) {
        return "rt-" + family + "-" + generation;
    }

    /** Whether this refresh token is the one the stub would accept now. */
    boolean isCurrent(String refreshToken) {
        int dash = refreshToken == null ? -1 : refreshToken.lastIndexOf('-');
        return dash > 3 && generations.getOrDefault(refreshToken.substring(3, dash), 0)
                == Integer.parseInt(refreshToken.substring(dash + 1));
    }

    int tokenCalls() {
        return tokenCalls.get();
    }

    int invalidGrants() {
        return invalidGrants.get();
    }

    void resetCounts() {
        tokenCalls.set(0);
        invalidGrants.set(0);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String presented = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("refresh_token=")) {
                presented = URLDecoder.decode(pair.substring("refresh_token=".length()), StandardCharsets.UTF_8);
            }
        }
        Integer next = rotate(presented);
        if (next == null) {
            invalidGrants.incrementAndGet();
            answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token reused or unknown\"}");
            return;
        }
        String family = presented.substring(3, presented.lastIndexOf('-'));
        answer(exchange, 200, "{\"access_token\":\"at-" + family + "-" + next + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_token\":\"" + refreshToken(family, next) + "\",\"scope\":\"read\"}");
    }

    /** The family's next generation when {@code presented} is its current token, else null. */
    private Integer rotate(String presented) {
        if (presented == null || !presented.startsWith("rt-") || presented.lastIndexOf('-') < 4) {
            return null;
        }
        int dash = presented.lastIndexOf('-');
        int generation = Integer.parseInt(presented.substring(dash + 1));
        Integer[] next = {null};
        generations.compute(presented.substring(3, dash), (family, current) -> {
            int now = current == null ? 0 : current;
            if (now != generation) {
                return now;
            }
            next[0] = now + 1;
            return now + 1;
        });
        return next[0];
    }

    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
