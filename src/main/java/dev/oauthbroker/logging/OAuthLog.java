package dev.oauthbroker.logging;

import dev.oauthbroker.grant.Grant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line of an OAuth operation whose fields — {@code event}, {@code provider},
 * {@code toolType}, {@code userId}, {@code grantId}, {@code durationMs} and any other — are SLF4J
 * key-value pairs, so Spring Boot's structured output ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE})
 * carries them as JSON fields; the text line repeats them as {@code key=value} for people, with
 * the short names the text logs always had ({@code user=}, {@code grant=}, {@code tool=}).
 * A call site stays one line:
 * <pre>OAuthLog.event(log, "refresh.succeeded").grant(grant).took(startedAt, clock).info("token refreshed");</pre>
 * Only identifiers, codes and counts go in: never a token, code, verifier or secret.
 */
public final class OAuthLog {

    private static final Map<String, String> TEXT_NAMES = Map.of("userId", "user", "grantId", "grant", "toolType", "tool");

    private final Logger log;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private OAuthLog(Logger log, String event) {
        this.log = log;
        fields.put("event", event);
    }

    /** A line of {@code event} (dotted: {@code refresh.succeeded}, {@code connect.completed}, ...). */
    public static OAuthLog event(Logger log, String event) {
        return new OAuthLog(log, event);
    }

    /** The grant's provider, user, id and tools ({@code toolType}, comma-separated when it serves several). */
    public OAuthLog grant(Grant grant) {
        return grant == null ? this : provider(grant.provider()).user(grant.userId()).grantId(grant.id()).tools(grant.tools());
    }

    public OAuthLog provider(String provider) {
        return with("provider", provider);
    }

    public OAuthLog user(String userId) {
        return with("userId", userId);
    }

    public OAuthLog grantId(UUID grantId) {
        return with("grantId", grantId);
    }

    public OAuthLog tool(String toolType) {
        return with("toolType", toolType);
    }

    public OAuthLog tools(List<String> toolTypes) {
        return toolTypes == null || toolTypes.isEmpty() ? this : tool(String.join(",", toolTypes));
    }

    /** {@code durationMs}: how long the operation has run, from {@code startedAt} (none when null) to the clock's now. */
    public OAuthLog took(Instant startedAt, Clock clock) {
        return startedAt == null ? this : durationMs(Duration.between(startedAt, clock.instant()).toMillis());
    }

    public OAuthLog durationMs(long ms) {
        return with("durationMs", ms);
    }

    /** Any other field; a null value is left out. */
    public OAuthLog with(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    public void debug(String message) {
        emit(Level.DEBUG, message);
    }

    public void info(String message) {
        emit(Level.INFO, message);
    }

    public void warn(String message) {
        emit(Level.WARN, message);
    }

    public void error(String message) {
        emit(Level.ERROR, message);
    }

    private void emit(Level level, String message) {
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder line = log.atLevel(level);
        StringBuilder text = new StringBuilder(message).append(" (");
        fields.forEach((key, value) -> {
            line.addKeyValue(key, value instanceof Number || value instanceof Boolean ? value : String.valueOf(value));
            text.append(text.charAt(text.length() - 1) == '(' ? "" : " ").append(TEXT_NAMES.getOrDefault(key, key)).append('=').append(value);
        });
        line.log(text.append(')').toString());
    }
}
