package dev.oauthbroker.authorization;

/** The callback cannot complete: {@code error} goes to the frontend as the redirect's error code. */
public class CallbackRejectedException extends RuntimeException {

    private final String error;
    private final String bucket;

    public CallbackRejectedException(String error, String message) {
        this(error, message, null);
    }

    /** @param bucket a bucket the frontend may act on (admin_consent_required: whose admin-consent link to offer) */
    public CallbackRejectedException(String error, String message, String bucket) {
        super(message);
        this.error = error;
        this.bucket = bucket;
    }

    public String error() {
        return error;
    }

    /** The bucket the redirect names, or null. */
    public String bucket() {
        return bucket;
    }
}
