package dev.oauthbroker.flow;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The first step of a timed operation (a refresh, a revocation, a connect) keeps when it began in
 * exchange property {@value ExchangeProperties#STARTED_AT}; the operation's log lines report
 * {@code durationMs} from it, on the same clock.
 */
@Component("startTimes")
public class StartTimes {

    private final Clock clock;

    public StartTimes(Clock clock) {
        this.clock = clock;
    }

    /** Now, on the broker's clock. */
    public Instant now() {
        return clock.instant();
    }
}
