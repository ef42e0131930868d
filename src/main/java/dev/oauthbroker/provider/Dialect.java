package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The quirks of a provider family beyond the standards. {@link #oauth2} is plain RFC 6749 / 7636 /
 * 7009: a new standards-compliant provider needs only catalogue data.
 */
public enum Dialect {
    oauth2, github, atlassian, microsoft, google, slack, figma, zoom;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Slack v2 asks for user-token scopes in {@code user_scope}, comma-separated. */
    public String scopeParameter() {
        return this == slack ? "user_scope" : "scope";
    }

    public String scopeDelimiter() {
        return this == slack ? "," : " ";
    }

    /** How a grant is revoked at this provider on disconnect. */
    public RevocationStyle revocationStyle(boolean hasRevocationUrl) {
        if (!hasRevocationUrl) {
            return RevocationStyle.NONE;
        }
        return switch (this) {
            case github -> RevocationStyle.GITHUB_GRANT;
            case slack -> RevocationStyle.SLACK_AUTH_REVOKE;
            default -> RevocationStyle.RFC7009;
        };
    }

    /**
     * Whether a 2xx answer really says yes: Slack answers HTTP 200 with {@code ok:false} when a
     * token is no good, so its body must hold {@code "ok": true}; other dialects need no body check.
     */
    public boolean answerIsOk(String body) {
        if (this != slack) {
            return true;
        }
        try {
            return body != null && JSON.readTree(body).path("ok").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    public enum RevocationStyle { RFC7009, GITHUB_GRANT, SLACK_AUTH_REVOKE, NONE }
}
