package dev.oauthbroker.provider;

/**
 * A token endpoint did not give us tokens. Messages hold only status codes and the provider's
 * error code (sanitised), never a response body or token.
 */
public abstract class ProviderException extends RuntimeException {

    private final String reason;

    protected ProviderException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short machine-readable cause, safe to store and show: {@code invalid_grant}, {@code AADSTS700082}, {@code http_503}. */
    public String reason() {
        return reason;
    }

    static String sanitize(String code) {
        if (code == null) {
            return "unknown";
        }
        String clean = code.replaceAll("[^A-Za-z0-9_.:-]", "_");
        return clean.length() > 60 ? clean.substring(0, 60) : clean;
    }
}
