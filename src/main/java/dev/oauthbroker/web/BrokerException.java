package dev.oauthbroker.web;

import java.time.Duration;

/**
 * A failure with a defined answer: HTTP status and {@code {error, message}} (DESIGN.md). The
 * message is shown to callers, so it never carries token material or provider response bodies.
 * A 503 may say when to try again ({@code Retry-After}).
 */
public class BrokerException extends RuntimeException {

    private final int status;
    private final String error;
    private final Duration retryAfter;

    public BrokerException(int status, String error, String message) {
        this(status, error, message, null);
    }

    public BrokerException(int status, String error, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** When to try again, or null when unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static BrokerException notFound(String error, String message) {
        return new BrokerException(404, error, message);
    }

    public static BrokerException unauthorized(String message) {
        return new BrokerException(401, "unauthorized", message);
    }
}
