package dev.oauthbroker.authorization;

/** The callback cannot complete: {@code error} goes to the frontend as the redirect's error code. */
public class CallbackRejectedException extends RuntimeException {

    private final String error;

    public CallbackRejectedException(String error, String message) {
        super(message);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
