package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.provider.TransientProviderException;
import dev.oauthbroker.token.ProviderAttempt;
import dev.oauthbroker.token.ProviderRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

class RefreshRetriesTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    /** The shipped policy: 2 redeliveries, 1 s, x2, at most 30 s. */
    private final RedeliveryPolicy policy = new RedeliveryPolicy().maximumRedeliveries(2).redeliveryDelay(1000)
            .useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(30000);

    @Test
    void waitsDoubleAfterEachFailedAttempt() {
        assertThat(RefreshRetries.nextDelay(policy, 1, null, NOW, null)).isEqualTo(1000);
        assertThat(RefreshRetries.nextDelay(policy, 2, null, NOW, null)).isEqualTo(2000);
    }

    @Test
    void theLastAttemptIsNotRetried() {
        assertThat(RefreshRetries.nextDelay(policy, 3, null, NOW, null)).isNull();
    }

    @Test
    void aRetryAfterIsWaitedUpToTheCap() {
        assertThat(RefreshRetries.nextDelay(policy, 1, Duration.ofSeconds(7), NOW, null)).isEqualTo(7000);
        assertThat(RefreshRetries.nextDelay(policy, 1, Duration.ofMinutes(5), NOW, null)).isEqualTo(30000);
    }

    @Test
    void aWaitEndingAtOrAfterTheDeadlineIsNotStarted() {
        assertThat(RefreshRetries.nextDelay(policy, 1, null, NOW, NOW.plusMillis(1000))).isNull();
        assertThat(RefreshRetries.nextDelay(policy, 1, null, NOW, NOW.plusMillis(1001))).isEqualTo(1000);
    }

    @Test
    void moreRedeliveriesInTheYamlAllowMoreAttempts() {
        policy.setMaximumRedeliveries(4);
        assertThat(RefreshRetries.nextDelay(policy, 4, null, NOW, null)).isEqualTo(8000);
        assertThat(RefreshRetries.nextDelay(policy, 5, null, NOW, null)).isNull();
    }

    /** retryWhile, bound to the exchange's values: the shipped routes' policy (3 attempts), Retry-After, the deadline. */
    @Test
    void retryWhileFollowsThePolicyInTheShippedRoutes() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties delays = new Properties();
            delays.setProperty("broker.refresh.initial-delay", "1000");
            delays.setProperty("broker.refresh.max-delay", "30000");
            camel.getPropertiesComponent().setInitialProperties(delays);
            camel.build();
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel,
                    "file:" + Path.of("routes/error-handling.camel.yaml").toAbsolutePath()));
            RefreshRetries retries = new RefreshRetries(camel, Clock.fixed(NOW, ZoneOffset.UTC));
            ProviderRequest refresh = new ProviderRequest("google", ProviderRequest.Purpose.REFRESH, "POST", "http://google/token", Map.of(), "");
            TransientProviderException busy = new TransientProviderException("http_503", null);

            assertThat(retries.maxAttempts(refresh)).isEqualTo(3);
            assertThat(retries.allowed(busy, null, refresh, new ProviderAttempt(refresh, 1), null)).isTrue();
            assertThat(retries.allowed(null, busy, refresh, new ProviderAttempt(refresh, 2), NOW.plusSeconds(5))).isTrue();
            assertThat(retries.allowed(busy, null, refresh, new ProviderAttempt(refresh, 3), null)).as("3 attempts in all").isFalse();
            assertThat(retries.allowed(busy, null, refresh, new ProviderAttempt(refresh, 1), NOW.plusMillis(1000))).as("past the deadline").isFalse();
            assertThat(retries.nextDelayMs(new TransientProviderException("http_429", Duration.ofSeconds(7)), refresh, null, null))
                    .as("Retry-After").isEqualTo(7000);
        }
    }
}
