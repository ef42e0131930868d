package dev.oauthbroker.web;

import dev.oauthbroker.provider.FormEncoding;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A POST that says it is {@code application/x-www-form-urlencoded} must be: Camel's HTTP binding
 * decodes such a body before any route runs and would fail with a 500 on a bad {@code %} escape.
 * Checked right after {@link BodyLimitFilter}, so the body read here is within the limit; refused
 * with {@code 400 invalid_request}, otherwise handed on from memory.
 */
public class FormBodyCheck extends OncePerRequestFilter {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (!"POST".equals(request.getMethod()) || type == null || !type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        try {
            FormEncoding.decode(new String(body, StandardCharsets.UTF_8), false);
        } catch (IllegalArgumentException badEscape) {
            JsonErrorBody.send(response, 400, "invalid_request", "the body is not valid " + FORM);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }
}
