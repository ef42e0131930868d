package dev.oauthbroker.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors raised before any route runs (unknown path, wrong method) in docs/design.md's shape
 * {@code {error, message}}, like the routes' own errors — no timestamps, paths or traces. Tomcat's
 * own refusals use the same texts ({@link JsonErrorReportValve}).
 */
@Component
public class JsonErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> standard = super.getErrorAttributes(request, ErrorAttributeOptions.defaults());
        int status = standard.get("status") instanceof Integer code ? code : 500;
        return forStatus(status);
    }

    /** {@code {error, message}} for a bare HTTP status: the error is the reason phrase in snake case. */
    static Map<String, Object> forStatus(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "error" : known.getReasonPhrase();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason.toLowerCase().replaceAll("[^a-z]+", "_"));
        body.put("message", switch (status) {
            case 400 -> "the request cannot be read: a malformed path, query or header";
            case 404 -> "no such endpoint";
            case 405 -> "this endpoint does not accept that method";
            default -> status >= 500 ? "the broker failed to handle this request" : reason;
        });
        return body;
    }
}
