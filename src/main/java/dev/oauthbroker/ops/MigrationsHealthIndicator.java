package dev.oauthbroker.ops;

import org.flywaydb.core.Flyway;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code migrations}: UP when every Flyway migration this build ships has
 * been applied to the database (DOWN when one is pending, or the database cannot be read).
 */
@Component("migrations")
class MigrationsHealthIndicator extends AbstractHealthIndicator {

    private final Flyway flyway;

    MigrationsHealthIndicator(Flyway flyway) {
        super("migrations check failed");
        this.flyway = flyway;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        int pending = flyway.info().pending().length;
        health.status(pending == 0 ? "UP" : "DOWN").withDetail("pending", pending);
    }
}
