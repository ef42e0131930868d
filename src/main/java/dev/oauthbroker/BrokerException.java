package dev.oauthbroker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal with a defined answer: what kind of refusal it is and {@code {error, message}}
 * (docs/design.md). The HTTP status is the web layer's choice ({@code web/ErrorResponses.statusOf}), not
 * the flows'. The message is shown to callers, so it never carries token material or provider
 * response bodies. An {@link Kind#UNAVAILABLE} refusal may say when to try again ({@code Retry-After}).
 * A refusal may carry fields the caller acts on beside {@code error} and {@code message}
 * ({@link #details()}, e.g. {@code missing} of {@code missing_scopes}).
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
    private final Map<String, Object> details = new LinkedHashMap<>();

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

    /** Fields of the error answer beside {@code error} and {@code message}; never token material. */
    public Map<String, Object> details() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** This refusal with one more field of its answer (a name other than {@code error}/{@code message}). */
    public BrokerException with(String field, Object value) {
        if ("error".equals(field) || "message".equals(field)) {
            throw new IllegalArgumentException("reserved field " + field);
        }
        details.put(field, value);
        return this;
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
