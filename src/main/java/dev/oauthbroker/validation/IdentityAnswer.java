package dev.oauthbroker.validation;

/** What the identity endpoint said of an access token: accepted, rejected, or no usable answer (with why). */
public record IdentityAnswer(Kind kind, String reason) {

    public enum Kind { ACCEPTED, REJECTED, FAILED }

    static IdentityAnswer of(int status, boolean okFlag, boolean authError) {
        if (status >= 200 && status < 300 && okFlag) {
            return new IdentityAnswer(Kind.ACCEPTED, null);
        }
        if (status == 401 || (status == 200 && authError)) {
            return new IdentityAnswer(Kind.REJECTED, null);
        }
        return new IdentityAnswer(Kind.FAILED, "identity_http_" + status);
    }
}
