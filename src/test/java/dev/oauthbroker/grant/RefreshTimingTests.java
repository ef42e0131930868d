package dev.oauthbroker.grant;

import static dev.oauthbroker.grant.InMemoryGrants.NOW;
import static dev.oauthbroker.grant.InMemoryGrants.active;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshTimingTests {

    private final RefreshTiming timing = new RefreshTiming(provider -> "zoom".equals(provider) ? Duration.ofMinutes(10) : Duration.ofMinutes(5));

    @Test
    void aTokenOutsideTheBufferIsNotDue() {
        assertThat(timing.due(active("acme", Duration.ofMinutes(6), true), NOW)).isFalse();
    }

    @Test
    void aTokenWithinTheBufferIsDue() {
        assertThat(timing.due(active("acme", Duration.ofMinutes(4), true), NOW)).isTrue();
    }

    @Test
    void anExpiredTokenIsDue() {
        assertThat(timing.due(active("acme", Duration.ofSeconds(-1), true), NOW)).isTrue();
    }

    @Test
    void aProvidersOwnBufferWins() {
        assertThat(timing.due(active("zoom", Duration.ofMinutes(8), true), NOW)).isTrue();
        assertThat(timing.due(active("acme", Duration.ofMinutes(8), true), NOW)).isFalse();
    }
}
