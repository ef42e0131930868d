package dev.oauthbroker.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;

/**
 * The last filter: a request for one of the REST routes goes from here straight to the route's
 * consumer ({@link AsyncPlatformHttp}), found by the same handler mapping the
 * {@code DispatcherServlet} would ask. What Spring MVC's handler adapter would add on the way —
 * argument resolution, method-validation lookups, return-value handling, a second dispatch of an
 * asynchronous answer — has nothing to do for a route that writes its own answer. A route that
 * waits (a refresh in flight) makes the request asynchronous here and completes it when it ends.
 * Everything else goes on to the {@code DispatcherServlet} as before: the pages, HEAD and OPTIONS
 * (the servlet suppresses a HEAD's body and answers OPTIONS), and whatever the mapping refuses
 * (404, 405, 415 in the usual JSON error shape).
 */
public class RouteDispatch extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RouteDispatch.class);

    private final ObjectProvider<CamelRequestHandlerMapping> mappings;
    private volatile CamelRequestHandlerMapping mapping;

    public RouteDispatch(ObjectProvider<CamelRequestHandlerMapping> mappings) {
        // looked up on the first request: the mapping comes with the Camel context, after the filters
        this.mappings = mappings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AsyncPlatformHttp.Consumer consumer = consumerFor(request);
        if (consumer == null) {
            chain.doFilter(request, response);
            return;
        }
        CompletableFuture<Void> answered = consumer.service(request, response);
        if (answered == null) {
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.addListener(new TimeoutAnswer());
        answered.whenComplete((done, failure) -> {
            try {
                if (failure != null) {
                    log.warn("a route failed to write its answer", failure);
                    if (!response.isCommitted()) {
                        JsonErrorBody.send(response, 500, JsonErrorAttributes.forStatus(500));
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.debug("no answer could be written after a route failed", e);
            } finally {
                async.complete();
            }
        });
    }

    /** The route consumer the handler mapping gives for this request, or null when it gives none (or more than a consumer). */
    private AsyncPlatformHttp.Consumer consumerFor(HttpServletRequest request) {
        CamelRequestHandlerMapping routes = mapping;
        if (routes == null) {
            routes = mappings.getIfAvailable();
            if (routes == null) {
                return null;
            }
            mapping = routes;
        }
        HandlerExecutionChain handler;
        try {
            handler = routes.getHandler(request);
        } catch (Exception noMatch) {
            // a path of a route with another method, or an unacceptable content type: the DispatcherServlet answers it
            return null;
        }
        if (handler != null && handler.getInterceptorList().isEmpty() && handler.getHandler() instanceof HandlerMethod method
                && method.getBean() instanceof AsyncPlatformHttp.Consumer consumer) {
            return consumer;
        }
        return null;
    }

    /** A route still running when the container's asynchronous timeout passes (far beyond the request deadline). */
    private static final class TimeoutAnswer implements AsyncListener {

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            HttpServletResponse response = (HttpServletResponse) event.getSuppliedResponse();
            if (!response.isCommitted()) {
                JsonErrorBody.send(response, 503, JsonErrorAttributes.forStatus(503));
            }
            event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
