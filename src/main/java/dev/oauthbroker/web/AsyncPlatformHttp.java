package dev.oauthbroker.web;

import dev.oauthbroker.flow.ExchangeProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.converter.stream.InputStreamCache;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpBinding;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConstants;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.camel.http.common.HttpBinding;
import org.apache.camel.http.common.HttpHelper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Serves the REST routes asynchronously. camel-platform-http on Spring Boot runs each request's
 * route on a task thread and blocks that thread until the route ends; here the route is started
 * through Camel's asynchronous routing engine instead, and the request completes when the route
 * calls back. A route step that waits — a refresh in flight, answered as a
 * {@link java.util.concurrent.CompletionStage} — therefore holds no request thread while it waits.
 * A route that ended before {@code service} returns (no step waited) has written its answer on the
 * request thread: {@code service} then returns no future (Spring MVC's handler of a
 * {@code CompletableFuture} return value treats {@code null} as "handled"), so the request never
 * becomes asynchronous and is not dispatched a second time through the filter chain and the
 * {@code DispatcherServlet}.
 * The user {@link ApiAuthenticationFilter} authenticated reaches the route as the exchange property
 * {@value ExchangeProperties#USER_ID}, taken from the request's attribute, never from a header.
 * Everything else (exchange, message, binding, response writing) is the starter's own.
 */
@Configuration(proxyBeanMethods = false)
public class AsyncPlatformHttp {

    @Bean(name = "platform-http-engine")
    PlatformHttpEngine asyncPlatformHttpEngine(@Value("${server.port:8080}") int port,
                                               @Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
        return new SpringBootPlatformHttpEngine(port, executor) {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                return new Consumer(endpoint, processor, executor);
            }
        };
    }

    /**
     * The starter's binding, but an answer already in memory (every route's marshalled JSON: bytes,
     * or Camel's in-memory stream cache) is written as it is, with its length, instead of being
     * copied through a stream in chunks (the whole answer is at hand: its length is known).
     */
    static final class Binding extends SpringBootPlatformHttpBinding {

        @Override
        protected void doWriteDirectResponse(Message message, HttpServletResponse response, Exchange exchange) throws IOException {
            Object body = message.getBody();
            boolean inMemory = body instanceof byte[] || body instanceof StreamCache cache && cache.inMemory();
            if (inMemory && !"application/x-java-serialized-object".equals(message.getHeader(Exchange.CONTENT_TYPE, String.class))) {
                if (body instanceof byte[] bytes) {
                    response.setContentLength(bytes.length);
                    response.getOutputStream().write(bytes);
                } else {
                    StreamCache cache = (StreamCache) body;
                    cache.reset();
                    response.setContentLengthLong(cache.length());
                    cache.writeTo(response.getOutputStream());
                }
                return;
            }
            super.doWriteDirectResponse(message, response, exchange);
        }
    }

    /** The starter's consumer, but the route runs without a thread waiting for it to end. */
    static final class Consumer extends SpringBootPlatformHttpConsumer {

        private static final byte[] EMPTY = new byte[0];

        private final HttpBinding binding = new Binding();

        Consumer(PlatformHttpEndpoint endpoint, Processor processor, Executor executor) {
            // the starter's own constructor without an executor would make an idle one per route
            super(endpoint, processor, executor);
            binding.setHeaderFilterStrategy(endpoint.getHeaderFilterStrategy());
            binding.setMuteException(endpoint.isMuteException());
            binding.setFileNameExtWhitelist(endpoint.getFileNameExtWhitelist());
            binding.setUseReaderForPayload(!endpoint.isUseStreaming());
        }

        /**
         * The starter's {@code afterProcess}, writing with this consumer's {@link Binding} (the starter's
         * own binding is private to it): the answer, then the unit of work done; a failure to write is
         * handed to the consumer's exception handler and answered 500 when nothing was sent yet.
         */
        @Override
        protected void afterProcess(HttpServletResponse response, Exchange exchange) throws Exception {
            boolean failed = false;
            try {
                binding.writeResponse(exchange, response);
            } catch (Exception e) {
                failed = true;
                getExceptionHandler().handleException("Failed writing HTTP response url: " + getEndpoint().getPath() + " due to: "
                        + e.getMessage(), e);
            } finally {
                doneUoW(exchange);
                releaseExchange(exchange, false);
            }
            if (failed && !response.isCommitted()) {
                try {
                    response.sendError(500);
                } catch (IOException | IllegalStateException ignored) {
                    // the connection is gone
                }
            }
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            if (isSuspended()) {
                response.setStatus(503);
                answered.complete(null);
                return answered;
            }
            Exchange exchange = createExchange(true);
            try {
                exchange.setPattern(ExchangePattern.InOut);
                HttpHelper.setCharsetFromContentType(request.getContentType(), exchange);
                PlatformHttpMessage message = new PlatformHttpMessage(request, response, exchange, binding, false);
                if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
                    // no body (a GET, most of all): nothing to read, and no reader's buffer to fill per request; a
                    // stream cache already, as the starter makes every body (a byte[] would send Camel's type
                    // converter searching its registry for byte[] -> StreamCache on every request)
                    message.setBody(new InputStreamCache(EMPTY));
                }
                exchange.setIn(message);
                message.init(exchange, binding, request, response);
                exchange.getIn().setHeader(SpringBootPlatformHttpConstants.CONTEXT_PATH, getEndpoint().getPath());
                exchange.setProperty(ExchangeProperties.USER_ID, request.getAttribute(ApiAuthenticationFilter.USER));
                exchange.setProperty(ExchangeProperties.CLIENT_ID, request.getAttribute(ApiAuthenticationFilter.CLIENT));
                createUoW(exchange);
            } catch (Exception e) {
                answered.completeExceptionally(e);
                return answered;
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    afterProcess(response, exchange);
                    answered.complete(null);
                } catch (Exception e) {
                    answered.completeExceptionally(e);
                }
            });
            // answered on this thread already (every route that waits for nothing): no asynchronous
            // request, so no second pass through the filters and the DispatcherServlet to finish it
            return answered.isDone() && !answered.isCompletedExceptionally() ? null : answered;
        }
    }
}
