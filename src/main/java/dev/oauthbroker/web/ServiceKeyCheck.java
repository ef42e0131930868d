package dev.oauthbroker.web;

import dev.oauthbroker.BrokerException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Guards the internal endpoints: {@code X-Broker-Key} compared in constant time with
 * {@code BROKER_SERVICE_KEY}. {@link ApiAuthenticationFilter} applies it before any route runs.
 */
@Component
public class ServiceKeyCheck {

    private final byte[] expected;

    public ServiceKeyCheck(Environment environment) {
        String key = environment.getProperty("BROKER_SERVICE_KEY", "");
        if (key.length() < 16) {
            throw new IllegalStateException("BROKER_SERVICE_KEY must be set to at least 16 characters: it guards the "
                    + "internal token endpoint (only the demo profile generates one)");
        }
        this.expected = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Passes the exact key, or throws a 401 {@link BrokerException}. */
    public void check(String given) {
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw BrokerException.unauthorized("a valid X-Broker-Key is required");
        }
    }
}
