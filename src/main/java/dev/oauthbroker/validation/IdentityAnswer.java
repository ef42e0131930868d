package dev.oauthbroker.validation;

import dev.oauthbroker.provider.IdentitySpec;

/** What the identity endpoint said of an access token: accepted, rejected, or no usable answer (with why). */
public record IdentityAnswer(Kind kind, String reason) {

    public enum Kind { ACCEPTED, REJECTED, FAILED }

    /** The catalogue's judgement of an answer ({@link IdentitySpec#judge}) with its HTTP status. */
    static IdentityAnswer of(IdentitySpec.Verdict judged, int status) {
        return switch (judged) {
            case VALID -> new IdentityAnswer(Kind.ACCEPTED, null);
            case REJECTED -> new IdentityAnswer(Kind.REJECTED, null);
            case ERROR -> new IdentityAnswer(Kind.FAILED, "identity_http_" + status);
        };
    }
}
