package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The identity check that validation makes with an access token (catalogue block
 * {@code identity}): a request to {@code url} with the token as bearer. Valid = a 2xx answer whose
 * {@code okField}, when named, is true (Slack {@code auth.test}). Rejected = 401, or an answer whose
 * error code ({@code errorField}) is one of {@code rejectedCodes} whatever the status (Slack
 * {@code invalid_auth} with HTTP 200). Anything else says nothing about the token.
 */
public record IdentitySpec(String url, String method, String okField, String errorField, Set<String> rejectedCodes) {

    /** What an identity answer says about the access token. */
    public enum Verdict { VALID, REJECTED, ERROR }

    public Verdict judge(int status, String body) {
        JsonNode answer = JsonAnswer.read(body);
        if (status >= 200 && status < 300 && JsonAnswer.ok(okField, answer)) {
            return Verdict.VALID;
        }
        if (status == 401 || rejectedCodes.contains(answer.path(errorField).asText(""))) {
            return Verdict.REJECTED;
        }
        return Verdict.ERROR;
    }
}
