package dev.oauthbroker.refresh;

import dev.oauthbroker.flow.ExchangeProperties;
import dev.oauthbroker.token.ProviderAttempt;
import dev.oauthbroker.token.ProviderRequest;
import dev.oauthbroker.provider.TransientProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.reifier.errorhandler.ErrorHandlerReifier;
import org.springframework.stereotype.Component;

/**
 * When a failed provider call is tried again: within the {@code redeliveryPolicy} written in
 * routes/error-handling.camel.yaml (attempts, backoff, cap — read from the routes, so the YAML is
 * the only place they are set), after the provider's {@code Retry-After} where it gave one (capped
 * by the policy), and only when that wait still ends before the flow's deadline — otherwise the
 * caller gets our answer now rather than a web server's timeout later. The {@code retryWhile} of
 * the provider-call failures ({@code retryWhile} replaces Camel's own count, so it is kept here).
 */
@Component("refreshRetries")
public class RefreshRetries {

    private final CamelContext camel;
    private final Clock clock;
    private final Map<String, RedeliveryPolicy> policies = new ConcurrentHashMap<>();

    public RefreshRetries(CamelContext camel, Clock clock) {
        this.camel = camel;
        this.clock = clock;
    }

    /**
     * {@code retryWhile}: another attempt is allowed and its wait fits before the deadline.
     * {@code failure}: the exception on the exchange, or the one the error handler caught.
     */
    public boolean allowed(@ExchangeException Throwable failure, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                           @ExchangeProperty(ExchangeProperties.PROVIDER_REQUEST) ProviderRequest request,
                           @ExchangeProperty(ExchangeProperties.PROVIDER_ATTEMPT) ProviderAttempt attempt,
                           @ExchangeProperty(ExchangeProperties.DEADLINE) Instant deadline) {
        return nextDelayMs(caught != null ? caught : failure, request, attempt, deadline) != null;
    }

    /** The wait before the next attempt of {@code request} after {@code failure}, or null when it must not be tried again. */
    public Long nextDelayMs(Throwable failure, ProviderRequest request, ProviderAttempt attempt, Instant deadline) {
        return nextDelay(policyOf(request), number(attempt),
                failure instanceof TransientProviderException tpe ? tpe.retryAfter() : null, clock.instant(), deadline);
    }

    /**
     * The rule: after failed attempt {@code attempt} (from 1), the wait before the next one — the
     * policy's exponential backoff or the provider's {@code retryAfter}, both capped by the policy's
     * maximum delay — or null when the attempts are used up or the wait would end at or after
     * {@code deadline} (none when null).
     */
    static Long nextDelay(RedeliveryPolicy policy, int attempt, Duration retryAfter, Instant now, Instant deadline) {
        if (attempt > policy.getMaximumRedeliveries()) {
            return null;
        }
        long backoff = policy.isUseExponentialBackOff()
                ? (long) (policy.getRedeliveryDelay() * Math.pow(policy.getBackOffMultiplier(), attempt - 1))
                : policy.getRedeliveryDelay();
        long delay = Math.min(policy.getMaximumRedeliveryDelay(), retryAfter != null ? retryAfter.toMillis() : backoff);
        if (deadline != null && !now.plusMillis(delay).isBefore(deadline)) {
            return null;
        }
        return delay;
    }

    /** The attempt that just failed, counting from 1. */
    public static int number(ProviderAttempt attempt) {
        return attempt == null ? 1 : attempt.number();
    }

    /** All attempts the policy of {@code request} allows. */
    public int maxAttempts(ProviderRequest request) {
        return policyOf(request).getMaximumRedeliveries() + 1;
    }

    /** The redelivery policy of the {@code onException} handling this call's transient failures. */
    private RedeliveryPolicy policyOf(ProviderRequest request) {
        String handler = request != null && request.purpose() == ProviderRequest.Purpose.REVOCATION
                ? "revocation-transient" : "refresh-transient";
        return policies.computeIfAbsent(handler, this::policyInRoutes);
    }

    private RedeliveryPolicy policyInRoutes(String onExceptionId) {
        OnExceptionDefinition handler = ((ModelCamelContext) camel).getRouteConfigurationDefinitions().stream()
                .flatMap(configuration -> configuration.getOnExceptions().stream())
                .filter(onException -> onExceptionId.equals(onException.getId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no onException with id " + onExceptionId + " in the routes"));
        return ErrorHandlerReifier.createRedeliveryPolicy(handler.getRedeliveryPolicyType(), camel, new RedeliveryPolicy());
    }
}
