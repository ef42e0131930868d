package dev.oauthbroker.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oauthbroker.BrokerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import java.util.Map;

class KeyGuessLimiterTests {

    Instant now = Instant.parse("2026-12-03T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    final KeyGuessLimiter limiter = new KeyGuessLimiter(properties(Map.of("broker.clients.auth-failure-limit", "3",
            "broker.clients.auth-failure-window", "60s")), clock);

    @Test
    void anAddressPastItsFailuresWaitsUntilItsWindowEndsWhileOthersDoNot() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.waitFor("10.0.0.1")).isZero();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.waitFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(60));
        assertThat(limiter.waitFor("10.0.0.2")).isZero();

        now = now.plusSeconds(45);
        assertThat(limiter.waitFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(15));

        now = now.plusSeconds(15);
        assertThat(limiter.waitFor("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1");
        assertThat(limiter.waitFor("10.0.0.1")).as("a new window counts from one").isZero();
    }

    private static BrokerProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("broker", BrokerProperties.class);
    }
}
