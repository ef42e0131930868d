package dev.oauthbroker.refresh;

import dev.oauthbroker.crypto.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthbroker.BrokerException;
import java.security.MessageDigest;

/**
 * The access token a host backend reports as rejected by its provider (the body
 * {@code {"accessToken": "..."}} of {@code POST .../rejected}). Only its SHA-256 is kept: the
 * comparison with the stored token is of two digests in constant time, so neither its content nor
 * its length shows in timing, and {@link #toString()} has nothing to leak.
 */
public final class ReportedToken {

    /** Longer than any access token a catalogue provider issues (Microsoft's JWTs stay under 8 KB). */
    static final int MAX_LENGTH = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] digest;

    private ReportedToken(byte[] digest) {
        this.digest = digest;
    }

    /** The body as sent; a 400 {@code invalid_request} unless it is {@code {"accessToken": "<non-blank text>"}}. */
    public static ReportedToken parse(String body) {
        JsonNode token;
        try {
            JsonNode json = body == null || body.isBlank() ? null : JSON.readTree(body);
            token = json == null || !json.isObject() ? null : json.get("accessToken");
        } catch (JsonProcessingException e) {
            token = null;
        }
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw invalid("the body must be JSON {\"accessToken\": \"<the access token the provider rejected>\"}");
        }
        if (token.asText().length() > MAX_LENGTH) {
            throw invalid("accessToken is longer than " + MAX_LENGTH + " characters");
        }
        return new ReportedToken(Sha256.of(token.asText()));
    }

    /** Whether {@code stored} is this token: digests compared in constant time; false for none. */
    public boolean matches(String stored) {
        return stored != null && MessageDigest.isEqual(digest, Sha256.of(stored));
    }

    @Override
    public String toString() {
        return "ReportedToken[redacted]";
    }

    private static BrokerException invalid(String message) {
        return new BrokerException(BrokerException.Kind.INVALID, "invalid_request", message);
    }
}
