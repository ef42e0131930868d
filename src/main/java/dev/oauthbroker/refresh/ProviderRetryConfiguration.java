package dev.oauthbroker.refresh;

import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camel redelivery policy of every provider call ({@code redeliveryPolicyRef:
 * providerRetryPolicy} in routes/error-handling.camel.yaml): 3 attempts in all, 1 s then 2 s
 * (exponential, multiplier 2), capped — each value from {@code broker.refresh.*}, so tests run fast.
 * Attempts are logged by {@link RefreshAttemptLog}, not by Camel (its lines could show the body);
 * {@link RefreshRetries} stops them early when the next wait would overrun the refresh's deadline.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderRetryConfiguration {

    @Bean
    RedeliveryPolicy providerRetryPolicy(@Value("${broker.refresh.max-redeliveries}") int maxRedeliveries,
                                         @Value("${broker.refresh.initial-delay}") long initialDelay,
                                         @Value("${broker.refresh.backoff-multiplier}") double multiplier,
                                         @Value("${broker.refresh.max-delay}") long maxDelay) {
        RedeliveryPolicy policy = new RedeliveryPolicy()
                .maximumRedeliveries(maxRedeliveries)
                .redeliveryDelay(initialDelay)
                .useExponentialBackOff()
                .backOffMultiplier(multiplier)
                .maximumRedeliveryDelay(maxDelay);
        // the wait between attempts is scheduled, not slept: a revocation retried within a request
        // holds no request thread meanwhile (routes are served asynchronously)
        policy.setAsyncDelayedRedelivery(true);
        policy.setLogRetryAttempted(false);
        policy.setLogExhausted(false);
        policy.setLogStackTrace(false);
        return policy;
    }
}
