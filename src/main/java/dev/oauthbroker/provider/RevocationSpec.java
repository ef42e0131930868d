package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a grant is revoked at its provider on disconnect (catalogue block {@code revocation}); no
 * block = the provider has no per-token revocation. The defaults are RFC 7009 §2.1: a form POST of
 * {@code token} + {@code token_type_hint}, the client authenticated as at the token endpoint, the
 * refresh token first (revoking it SHOULD kill its access tokens), then the access token. GitHub is
 * {@code DELETE /applications/{clientId}/grant}, Basic auth, JSON {@code {"access_token": ...}};
 * Slack is {@code auth.revoke} with the access token as bearer and {@code ok:true} required.
 *
 * @param url where to send it; {@code {clientId}} is replaced by the client id
 * @param tokens which tokens to send, one request each, in order (a grant without a refresh token
 *     skips {@code refresh_token})
 * @param okField a boolean of the answer that must be true on top of a 2xx status (Slack {@code ok})
 * @param alreadyRevokedCodes error codes of a 4xx answer that mean the token is already dead, so
 *     the revocation succeeded (Google answers an already revoked token 400 {@code invalid_token})
 * @param headers extra request headers (GitHub's {@code Accept})
 */
public record RevocationSpec(String url, String method, Auth auth, Body body, List<String> tokens,
        String tokenParameter, boolean tokenTypeHint, String okField, Set<String> alreadyRevokedCodes, Map<String, String> headers) {

    /** How the revocation request authenticates. */
    public enum Auth {
        /** As at the token endpoint ({@link Provider#clientAuth()}), RFC 7009 §2.1. */
        client_auth, client_secret_basic, client_secret_post, bearer_access_token, none
    }

    /** How the token travels: form or JSON body, or none (it is the bearer). */
    public enum Body { form, json, none }

    /** What a revocation answer means: 2xx (and ok) revoked; 429 and 5xx try again (RFC 7009 §2.2.1 503); else failed. */
    public enum Verdict { REVOKED, RETRY, FAILED }

    /** The tokens to revoke, in order, for a grant with or without a refresh token. */
    public List<String> tokensFor(boolean hasRefreshToken) {
        return tokens.stream().filter(kind -> hasRefreshToken || !"refresh_token".equals(kind)).toList();
    }

    /**
     * The request revoking one token.
     *
     * @param kind {@code refresh_token} or {@code access_token}: which token {@code token} is
     * @param accessToken the grant's access token, for {@code bearer_access_token}
     */
    public RevocationRequest requestFor(Provider provider, String kind, String token, String accessToken) {
        Map<String, String> headers = new LinkedHashMap<>(this.headers);
        Map<String, String> fields = new LinkedHashMap<>();
        if (body != Body.none) {
            fields.put(tokenParameter, token);
            if (tokenTypeHint) {
                fields.put("token_type_hint", kind);
            }
        }
        Auth effective = auth == Auth.client_auth ? Auth.valueOf(provider.clientAuth().name()) : auth;
        if (effective == Auth.client_secret_post) {
            fields.put("client_id", provider.clientId());
            fields.put("client_secret", provider.clientSecret());
        } else if (effective == Auth.bearer_access_token) {
            headers.put("Authorization", "Bearer " + accessToken);
        }
        return new RevocationRequest(method, url.replace("{clientId}", provider.clientId()), headers,
                body, fields, effective == Auth.client_secret_basic);
    }

    public Verdict judge(int status, String answer) {
        if (status == 429 || status >= 500) {
            return Verdict.RETRY;
        }
        JsonNode fields = JsonAnswer.read(answer);
        boolean ok = status >= 200 && status < 300 && JsonAnswer.ok(okField, fields);
        boolean alreadyDead = status >= 400 && alreadyRevokedCodes.contains(fields.path("error").asText());
        return ok || alreadyDead ? Verdict.REVOKED : Verdict.FAILED;
    }

    /** A short name for listings: {@code rfc7009} for the standard shape, else method and body. */
    public String style() {
        boolean standard = "POST".equals(method) && body == Body.form && auth == Auth.client_auth && "token".equals(tokenParameter);
        String carrier = body != Body.none ? body.name() : auth == Auth.bearer_access_token ? "bearer" : "empty";
        return standard ? "rfc7009" : (method + "_" + carrier).toLowerCase();
    }

    /**
     * One revocation request: {@code fields} are sent as {@code body} says (form, JSON, or nothing);
     * {@code basicAuth} = authenticate with HTTP Basic client id and secret (RFC 6749 §2.3.1).
     */
    public record RevocationRequest(String method, String url, Map<String, String> headers, Body body,
            Map<String, String> fields, boolean basicAuth) {

        @Override
        public String toString() {
            return "RevocationRequest[" + method + " " + url + ", body=" + body + ", fields=" + fields.keySet() + "]";
        }
    }
}
