package dev.oauthbroker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Boot's error page ({@code /error}) is where failed requests are forwarded; requested
 * directly it has no error to describe and would answer 500. Direct requests get the 404 of any
 * unknown path. (Forwards are error dispatches, which this filter does not see.)
 */
public class ErrorPathGuard extends OncePerRequestFilter {

    private final String errorPath;

    public ErrorPathGuard(String errorPath) {
        this.errorPath = errorPath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (errorPath.equals(request.getServletPath())) {
            JsonErrorBody.send(response, 404, JsonErrorAttributes.forStatus(404));
            return;
        }
        chain.doFilter(request, response);
    }
}
