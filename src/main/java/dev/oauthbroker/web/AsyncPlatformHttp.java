package dev.oauthbroker.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
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
 * The user {@link ApiAuthenticationFilter} authenticated reaches the route as the exchange property
 * {@value UserAuthentication#USER_ID}, taken from the request's attribute, never from a header.
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

    /** The starter's consumer, but the route runs without a thread waiting for it to end. */
    static final class Consumer extends SpringBootPlatformHttpConsumer {

        private final HttpBinding binding = new SpringBootPlatformHttpBinding();

        Consumer(PlatformHttpEndpoint endpoint, Processor processor, Executor executor) {
            // the starter's own constructor without an executor would make an idle one per route
            super(endpoint, processor, executor);
            binding.setHeaderFilterStrategy(endpoint.getHeaderFilterStrategy());
            binding.setMuteException(endpoint.isMuteException());
            binding.setFileNameExtWhitelist(endpoint.getFileNameExtWhitelist());
            binding.setUseReaderForPayload(!endpoint.isUseStreaming());
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
                exchange.setIn(message);
                message.init(exchange, binding, request, response);
                exchange.getIn().setHeader(SpringBootPlatformHttpConstants.CONTEXT_PATH, getEndpoint().getPath());
                exchange.setProperty(UserAuthentication.USER_ID, request.getAttribute(ApiAuthenticationFilter.USER));
                exchange.setProperty(ApiAuthenticationFilter.CLIENT_ID, request.getAttribute(ApiAuthenticationFilter.CLIENT));
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
            return answered;
        }
    }
}
