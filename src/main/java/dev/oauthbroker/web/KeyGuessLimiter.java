package dev.oauthbroker.web;

import dev.oauthbroker.BrokerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Online guessing of backend keys, stopped: each source address may fail authentication
 * {@code BROKER_AUTH_FAILURE_LIMIT} times per {@code BROKER_AUTH_FAILURE_WINDOW} (a fixed window from
 * its first failure); past that it is refused with 429 until the window ends, whatever it sends.
 * Memory stays bounded: expired windows are dropped as new ones open.
 */
@Component
public class KeyGuessLimiter {

    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final int limit;
    private final long windowMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public KeyGuessLimiter(BrokerProperties properties, Clock clock) {
        this.clock = clock;
        this.limit = properties.clients().authFailureLimit();
        this.windowMillis = properties.clients().authFailureWindow().toMillis();
    }

    /** How long the address must wait before it may try again; zero when it may try now. */
    public Duration waitFor(String address) {
        Window window = windows.get(address);
        long now = clock.millis();
        if (window == null || window.endsAt() <= now || window.failures() < limit) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(window.endsAt() - now);
    }

    /** One more failed authentication from the address. */
    public void failed(String address) {
        long now = clock.millis();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.endsAt() <= now);
        }
        windows.merge(address, new Window(1, now + windowMillis),
                (old, fresh) -> old.endsAt() <= now ? fresh : new Window(old.failures() + 1, old.endsAt()));
    }

    private record Window(int failures, long endsAt) {
    }
}
