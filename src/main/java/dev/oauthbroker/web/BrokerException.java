package dev.oauthbroker.web;

/**
 * A failure with a defined answer: HTTP status and {@code {error, message}} (DESIGN.md). The
 * message is shown to callers, so it never carries token material or provider response bodies.
 */
public class BrokerException extends RuntimeException {

    private final int status;
    private final String error;

    public BrokerException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static BrokerException notFound(String error, String message) {
        return new BrokerException(404, error, message);
    }

    public static BrokerException unauthorized(String message) {
        return new BrokerException(401, "unauthorized", message);
    }
}
