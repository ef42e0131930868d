package dev.oauthbroker.web;

import dev.oauthbroker.BrokerException;
import dev.oauthbroker.flow.ExchangeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authentication of the HTTP API, in the web layer, so that no edit of {@code routes/} can open it:
 * every path under {@code /internal} needs a backend client's key ({@link BackendClientCheck}: the
 * client may fetch the path's tool, else 403 {@code forbidden_tool}), {@code POST /oauth/token}
 * a client allowed to exchange, every path under {@code /api} but the public ones the host's user
 * JWT ({@link UserAuthentication}).
 * Paths no route serves are refused the same way, so a route added under either prefix is closed
 * until its caller authenticates. The user id is kept as the request attribute {@link #USER}, the
 * backend client's id as {@link #CLIENT}, which a caller cannot set; {@link AsyncPlatformHttp} hands it to the route as exchange property
 * {@value ExchangeProperties#USER_ID}. Runs after the body limit and CORS (a preflight carries no
 * credentials) and after the security headers, so a refusal carries them too.
 */
public class ApiAuthenticationFilter extends OncePerRequestFilter {

    static final String USER = ApiAuthenticationFilter.class.getName() + ".user";
    static final String CLIENT = ApiAuthenticationFilter.class.getName() + ".client";
    /** The catalogue, the API description, and the demo profile's sign-in (absent, i.e. 404, outside the demo). */
    private static final Set<String> PUBLIC = Set.of("/api/tools", "/api/openapi.json", "/api/demo/session");

    private final UserAuthentication users;
    private final BackendClientCheck clients;

    public ApiAuthenticationFilter(UserAuthentication users, BackendClientCheck clients) {
        this.users = users;
        this.clients = clients;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the decoded, normalised path the handler mappings match, never the raw request URI;
        // its prefix is compared without case, so /API/... is refused too rather than let through
        String path = request.getServletPath() + Objects.toString(request.getPathInfo(), "");
        String lowerCase = path.toLowerCase(Locale.ROOT);
        if (under(lowerCase, "/internal") || lowerCase.equals(BackendClientCheck.TOKEN_EXCHANGE)) {
            if (clients.admit(request, response, path)) {
                chain.doFilter(request, response);
                clients.recordAnswer(request, response);
            }
            return;
        }
        try {
            if (under(lowerCase, "/api") && !PUBLIC.contains(path)) {
                request.setAttribute(USER, users.userIdOf(request.getHeader("Authorization")));
            }
        } catch (BrokerException refused) {
            response.setHeader("WWW-Authenticate", "Bearer");
            JsonErrorBody.send(response, ErrorResponses.statusOf(refused.kind()), refused.error(), refused.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
