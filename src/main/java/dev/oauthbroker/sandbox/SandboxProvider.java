package dev.oauthbroker.sandbox;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.authorization.S256CodeChallenge;
import dev.oauthbroker.provider.FormEncoding;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * The sandbox's authorization server (RFC 6749 + 7636 + 7009), strict like a real one: one
 * registered client and redirect URI (exact match), PKCE S256 required, single-use codes bound to
 * client, redirect URI and challenge, rotating refresh tokens (a used one gets
 * {@code invalid_grant}), short-lived access tokens, a userinfo endpoint. State is in memory: a
 * restart forgets every token, as a provider that revoked them would.
 */
@Component("sandboxProvider")
public class SandboxProvider {

    private static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    private static final String ACCOUNT = "demo@sandbox.local";
    private static final String MALFORMED = "the request is not valid application/x-www-form-urlencoded, or its Basic credentials are malformed";

    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final String issuer;
    private final Duration accessTokenLifetime;
    private final Clock clock;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Issued> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Issued> refreshTokens = new ConcurrentHashMap<>();

    public SandboxProvider(BrokerProperties properties, Clock clock) {
        this.clientId = properties.sandbox().clientId();
        this.clientSecret = properties.sandbox().clientSecret();
        this.redirectUri = properties.redirectUri();
        URI base = URI.create(properties.publicBaseUrl());
        this.issuer = base.getScheme() + "://" + base.getRawAuthority();
        this.accessTokenLifetime = properties.sandbox().accessTokenLifetime();
        this.clock = clock;
    }

    private record Code(String scope, String challenge, Instant expires) {}

    private record Issued(String scope, Instant expires, String family) {}

    /** GET /sandbox/oauth2/authorize: the consent page, after checking the request. */
    public String authorizePage(@Header(Exchange.HTTP_QUERY) String query, @Headers Map<String, Object> headers) {
        Map<String, String> q = decodeOrNull(query);
        String problem = q == null ? MALFORMED : checkAuthorizationRequest(q);
        // the request's headers go: the answer carries only what is set here
        headers.clear();
        headers.put(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        if (problem != null) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            return page("Invalid request", "<p>The application sent an invalid authorization request: " + HtmlUtils.htmlEscape(problem) + ".</p>");
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : new String[] {"client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"}) {
            hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                    .append(HtmlUtils.htmlEscape(q.getOrDefault(name, ""))).append("\">");
        }
        return page("Sandbox: allow access?", """
                <p class="step">Sandbox · a pretend provider for trying oauth-broker</p>
                <h1>Allow oauth-broker to read your Sandbox account?</h1>
                <p>Signed in to the Sandbox as <strong>%s</strong>. oauth-broker asks for: <strong>%s</strong>.</p>
                <form method="post" action="/sandbox/oauth2/authorize/decision">%s
                  <div class="actions">
                    <button type="submit" name="decision" value="allow" id="allow">Allow</button>
                    <button type="submit" name="decision" value="deny" id="deny" class="secondary">Deny</button>
                  </div>
                </form>""".formatted(ACCOUNT, HtmlUtils.htmlEscape(q.getOrDefault("scope", "")), hidden));
    }

    /** POST /sandbox/oauth2/authorize/decision: back to the client with a code, or with access_denied. */
    public String decide(@Body String form, @Headers Map<String, Object> headers) {
        Map<String, String> f = decodeOrNull(form);
        String problem = f == null ? MALFORMED : checkAuthorizationRequest(f);
        // the request's headers go: the answer carries only what is set here
        headers.clear();
        if (problem != null) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            headers.put(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            return page("Invalid request", "<p>" + HtmlUtils.htmlEscape(problem) + "</p>");
        }
        Map<String, String> back = new LinkedHashMap<>();
        if ("allow".equals(f.get("decision"))) {
            String code = S256CodeChallenge.randomUrlSafe(24);
            codes.put(code, new Code(f.getOrDefault("scope", ""), f.get("code_challenge"), clock.instant().plus(CODE_LIFETIME)));
            back.put("code", code);
        } else {
            back.put("error", "access_denied");
            back.put("error_description", "The user denied access");
        }
        back.put("state", f.get("state"));
        back.put("iss", issuer);
        headers.put(Exchange.HTTP_RESPONSE_CODE, 302);
        // every value form-encoded whole: a state holding '{', '&' or '#' comes back unchanged
        headers.put("Location", redirectUri + (redirectUri.contains("?") ? "&" : "?") + FormEncoding.encode(back));
        headers.put("Cache-Control", "no-store");
        return "";
    }

    /** POST /sandbox/oauth2/token: authorization_code (PKCE checked) and refresh_token (rotated). */
    public Map<String, Object> token(@Body String form, @Header("Authorization") String authorization, @Headers Map<String, Object> headers) {
        ClientRequest request = clientRequest(form, authorization);
        // the request's headers go: the answer carries only what is set here
        headers.clear();
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        headers.put("Cache-Control", "no-store");
        if (request == null) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            return error("invalid_request", MALFORMED);
        }
        if (!request.authenticated()) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 401);
            headers.put("WWW-Authenticate", "Basic realm=\"sandbox\"");
            return error("invalid_client", "client authentication failed");
        }
        Map<String, String> f = request.form();
        String missing = missingParameter(f);
        if (missing != null) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
            return error("invalid_request", missing);
        }
        Instant now = clock.instant();
        if ("authorization_code".equals(f.get("grant_type"))) {
            Code code = codes.remove(f.get("code"));
            if (code == null || now.isAfter(code.expires()) || !redirectUri.equals(f.get("redirect_uri"))
                    || !S256CodeChallenge.challengeOf(f.get("code_verifier")).equals(code.challenge())) {
                headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
                return error("invalid_grant", "code unknown, used, expired, or verifier/redirect_uri mismatch");
            }
            return issue(code.scope(), S256CodeChallenge.randomUrlSafe(8));
        }
        if ("refresh_token".equals(f.get("grant_type"))) {
            Issued previous = refreshTokens.remove(f.get("refresh_token"));
            if (previous == null) {
                headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
                return error("invalid_grant", "refresh token unknown, revoked or already used");
            }
            return issue(previous.scope(), previous.family());
        }
        headers.put(Exchange.HTTP_RESPONSE_CODE, 400);
        return error("unsupported_grant_type", "use authorization_code or refresh_token");
    }

    /** POST /sandbox/oauth2/revoke (RFC 7009): 200 whether or not the token was known. */
    public String revoke(@Body String form, @Header("Authorization") String authorization, @Headers Map<String, Object> headers) {
        ClientRequest request = clientRequest(form, authorization);
        // the request's headers go: the answer carries only what is set here
        headers.clear();
        if (request == null || !request.authenticated()) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, request == null ? 400 : 401);
            headers.put(Exchange.CONTENT_TYPE, "application/json");
            return request == null ? "{\"error\":\"invalid_request\",\"error_description\":\"" + MALFORMED + "\"}"
                    : "{\"error\":\"invalid_client\"}";
        }
        String token = request.form().getOrDefault("token", "");
        Issued refresh = refreshTokens.remove(token);
        if (refresh != null) {
            // revoking a refresh token also ends its access tokens (RFC 7009 §2.1)
            accessTokens.values().removeIf(issued -> issued.family().equals(refresh.family()));
        }
        accessTokens.remove(token);
        headers.put(Exchange.HTTP_RESPONSE_CODE, 200);
        return "";
    }

    /** GET /sandbox/oauth2/userinfo: who the access token speaks for; 401 when it is unknown or expired. */
    public Map<String, Object> userinfo(@Header("Authorization") String auth, @Headers Map<String, Object> headers) {
        // the request's headers go: the answer carries only what is set here
        headers.clear();
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        Issued issued = auth != null && auth.startsWith("Bearer ") ? accessTokens.get(auth.substring(7)) : null;
        if (issued == null || clock.instant().isAfter(issued.expires())) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, 401);
            headers.put("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return error("invalid_token", "unknown or expired access token");
        }
        return Map.of("sub", ACCOUNT, "name", "Sandbox Demo User", "scope", issued.scope());
    }

    private Map<String, Object> issue(String scope, String family) {
        Instant now = clock.instant();
        accessTokens.values().removeIf(issued -> now.isAfter(issued.expires()));
        refreshTokens.values().removeIf(issued -> now.isAfter(issued.expires()));
        codes.values().removeIf(code -> now.isAfter(code.expires()));
        String access = "sbx-at-" + S256CodeChallenge.randomUrlSafe(24);
        String refresh = "sbx-rt-" + S256CodeChallenge.randomUrlSafe(24);
        accessTokens.put(access, new Issued(scope, now.plus(accessTokenLifetime), family));
        refreshTokens.put(refresh, new Issued(scope, now.plus(Duration.ofDays(30)), family));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access);
        body.put("token_type", "Bearer");
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("refresh_token", refresh);
        body.put("scope", scope);
        return body;
    }

    private String checkAuthorizationRequest(Map<String, String> q) {
        if (!clientId.equals(q.get("client_id"))) {
            return "unknown client_id";
        }
        if (!redirectUri.equals(q.get("redirect_uri"))) {
            return "redirect_uri is not the registered one";
        }
        if (q.containsKey("response_type") && !"code".equals(q.get("response_type"))) {
            return "only response_type=code is supported";
        }
        if (q.get("code_challenge") == null || !"S256".equals(q.get("code_challenge_method"))) {
            return "PKCE with code_challenge_method=S256 is required";
        }
        if (q.get("state") == null || q.get("state").isBlank()) {
            return "state is required";
        }
        return null;
    }

    /**
     * RFC 6749 §5.2 {@code invalid_request}: a required parameter missing, or a PKCE verifier that
     * is not 43 to 128 unreserved characters (RFC 7636 §4.1); null when the request is complete.
     */
    private static String missingParameter(Map<String, String> f) {
        String grantType = f.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            return "grant_type is required";
        }
        List<String> required = switch (grantType) {
            case "authorization_code" -> List.of("code", "redirect_uri", "code_verifier");
            case "refresh_token" -> List.of("refresh_token");
            default -> List.of();
        };
        for (String name : required) {
            if (f.get(name) == null || f.get(name).isBlank()) {
                return name + " is required";
            }
        }
        if (required.contains("code_verifier") && !f.get("code_verifier").matches("[A-Za-z0-9._~-]{43,128}")) {
            return "code_verifier must be 43 to 128 unreserved characters";
        }
        return null;
    }

    /** A client's form post and whether its client authenticated (form or Basic); null when either cannot be decoded. */
    private record ClientRequest(Map<String, String> form, boolean authenticated) {}

    private ClientRequest clientRequest(String body, String authorization) {
        Map<String, String> form = decodeOrNull(body);
        if (form == null) {
            return null;
        }
        try {
            return new ClientRequest(form, clientAuthenticated(form, authorization));
        } catch (IllegalArgumentException badBasicValue) {
            return null;
        }
    }

    private boolean clientAuthenticated(Map<String, String> form, String authorization) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            id = URLDecoder.decode(pair.substring(0, Math.max(colon, 0)), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        }
        return !clientSecret.isBlank() && clientId.equals(id) && secret != null
                && MessageDigest.isEqual(clientSecret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> error(String code, String description) {
        return Map.of("error", code, "error_description", description);
    }


    private static Map<String, String> decodeOrNull(String form) {
        try {
            return FormEncoding.decode(form, false);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }

    private static String page(String title, String body) {
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
                <title>%s</title><link rel="stylesheet" href="/app.css"></head>
                <body><main><section class="card signin">%s</section></main></body></html>""".formatted(HtmlUtils.htmlEscape(title), body);
    }
}
