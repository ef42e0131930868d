package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
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
}
