package dev.oauthbroker;

import java.time.Duration;

/**
 * A refusal with a defined answer: what kind of refusal it is and {@code {error, message}}
 * (DESIGN.md). The HTTP status is the web layer's choice ({@code web/ErrorResponses.statusOf}), not
 * the flows'. The message is shown to callers, so it never carries token material or provider
 * response bodies. An {@link Kind#UNAVAILABLE} refusal may say when to try again ({@code Retry-After}).
 */
public class BrokerException extends RuntimeException {

    /** What the caller is told, in the flows' words. */
    public enum Kind {
        /** The request itself is malformed. */
        INVALID,
        /** No or a wrong credential. */
        UNAUTHENTICATED,
        /** A credential, but for someone else's flow. */
        FOREIGN,
        /** No such tool, bucket or connection. */
        NOT_FOUND,
        /** It exists, but not in a state that allows this (needs reconnecting, not configured). */
        CONFLICT,
        /** It existed, and expired. */
        EXPIRED,
        /** Not now: try again later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String error;
    private final Duration retryAfter;

    public BrokerException(Kind kind, String error, String message) {
        this(kind, error, message, null);
    }

    public BrokerException(Kind kind, String error, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public String error() {
        return error;
    }

    /** When to try again, or null when unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static BrokerException notFound(String error, String message) {
        return new BrokerException(Kind.NOT_FOUND, error, message);
    }

    public static BrokerException unauthorized(String message) {
        return new BrokerException(Kind.UNAUTHENTICATED, "unauthorized", message);
    }
}
