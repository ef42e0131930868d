package dev.oauthbroker.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docs/design.md's error answer {@code {error, message}} for code that runs outside the routes and
 * Spring MVC (servlet filters, Tomcat's error valve): written whole, with its length, and flushed.
 */
final class JsonErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrorBody() {}

    static void send(HttpServletResponse response, int status, String error, String message) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("error", error);
        fields.put("message", message);
        send(response, status, fields);
    }

    static void send(HttpServletResponse response, int status, Map<String, ?> fields) throws IOException {
        byte[] body = of(fields);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    static byte[] of(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
