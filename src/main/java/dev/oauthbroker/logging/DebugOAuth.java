package dev.oauthbroker.logging;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code DEBUG_OAUTH=true} ({@code broker.debug-oauth}) turns on the flows' debug detail — the
 * seed's switch — by setting {@code logging.level.dev.oauthbroker=DEBUG} before logging starts.
 * Debug lines carry identifiers, statuses and reasons, never a token, code, verifier or secret.
 */
public class DebugOAuth implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty("broker.debug-oauth", Boolean.class, false)) {
            environment.getPropertySources().addFirst(new MapPropertySource("DEBUG_OAUTH", Map.of("logging.level.dev.oauthbroker", "DEBUG")));
        }
    }
}
