package dev.oauthbroker.ops;

import dev.oauthbroker.refresh.RefreshWorkers;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful shutdown of the refreshes: once the web server has finished its in-flight requests
 * ({@code server.shutdown: graceful}), the refreshes still running on the providers' threads —
 * a caller may have had its answer at its deadline while its refresh went on — finish, store
 * what the provider issued and give their lease back, before Camel's routes stop. Readiness is
 * already down (Spring Boot refuses traffic from the first moment of shutdown).
 */
@Component
class RefreshDrain implements SmartLifecycle {

    /** Stopped right after the web server's graceful shutdown, before the web server and Camel. */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1;

    private static final Logger log = LoggerFactory.getLogger(RefreshDrain.class);

    private final RefreshWorkers workers;
    private final Duration timeout;
    private volatile boolean running;

    RefreshDrain(RefreshWorkers workers, @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration timeout) {
        this.workers = workers;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        long started = System.nanoTime();
        try {
            if (workers.drain(timeout)) {
                log.info("refreshes drained in {} ms", (System.nanoTime() - started) / 1_000_000);
            } else {
                log.warn("refreshes still running after {}: they are interrupted, their leases expire by themselves", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("shutdown interrupted while refreshes drained");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
