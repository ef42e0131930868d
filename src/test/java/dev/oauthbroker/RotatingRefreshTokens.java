package dev.oauthbroker;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict rotating provider (RFC 9700 §4.14.2): each refresh token works once and yields a new
 * one; a reused token gets {@code invalid_grant}. Counts reuse so tests can prove it never happens.
 */
public class RotatingRefreshTokens implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "rotating-refresh-tokens";

    private final Set<String> valid = ConcurrentHashMap.newKeySet();
    private final Set<String> spent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger reuses = new AtomicInteger();

    /** Forgets everything; the given refresh tokens (one per grant) are the valid ones. */
    public void reset(String... initialRefreshTokens) {
        valid.clear();
        spent.clear();
        issued.set(0);
        reuses.set(0);
        valid.addAll(java.util.List.of(initialRefreshTokens));
    }

    public int reuses() {
        return reuses.get();
    }

    public int issued() {
        return issued.get();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        String token = null;
        for (String pair : serveEvent.getRequest().getBodyAsString().split("&")) {
            if (pair.startsWith("refresh_token=")) {
                token = URLDecoder.decode(pair.substring("refresh_token=".length()), StandardCharsets.UTF_8);
            }
        }
        if (token == null || !valid.remove(token)) {
            if (token != null && spent.contains(token)) {
                reuses.incrementAndGet();
            }
            return new ResponseDefinitionBuilder().withStatus(400).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token reused or unknown\"}").build();
        }
        spent.add(token);
        int n = issued.incrementAndGet();
        String next = "rt-SECRET-rotated-" + n;
        valid.add(next);
        return ResponseDefinition.okForJson(java.util.Map.of("access_token", "at-SECRET-rotated-" + n,
                "refresh_token", next, "token_type", "Bearer", "expires_in", 3600));
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
