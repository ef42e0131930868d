package dev.oauthbroker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A provider's answer body read as JSON, leniently: anything unreadable is an empty answer. */
final class JsonAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswer() {
    }

    static JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /** Whether {@code okField} holds true — always, when there is no such field to check. */
    static boolean ok(String okField, JsonNode answer) {
        return okField == null || answer.path(okField).asBoolean(false);
    }
}
