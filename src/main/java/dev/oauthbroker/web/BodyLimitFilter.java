package dev.oauthbroker.web;

import dev.oauthbroker.BrokerProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every request body over {@code broker.max-body} ({@code BROKER_MAX_BODY}) with
 * {@code 413 payload_too_large}, first of the service's filters ({@link ServiceFilters}) and on every path, before anything reads or
 * buffers it. A declared {@code Content-Length} over the limit is refused unread. A chunked body
 * has no declared length: it is read here up to one byte past the limit — never more — and either
 * refused or handed on from that bounded buffer. Tomcat then drains at most
 * {@code server.tomcat.max-swallow-size} of what the client still sends before closing the connection.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long limit;

    public BodyLimitFilter(BrokerProperties properties) {
        this.limit = properties.maxBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(response);
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE));
            if (body.length > limit) {
                refuse(response);
                return;
            }
            chain.doFilter(new BufferedBodyRequest(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The answer is sent at once: the client may still be sending, and waits for nothing more from us. */
    private void refuse(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close");
        JsonErrorBody.send(response, 413, "payload_too_large", "the request body is larger than " + limit + " bytes");
    }
}
