package dev.oauthbroker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps every log line of the test JVM (message and exception texts), so tests can assert what
 * was never logged. Wired in {@code logback-test.xml}.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    /** Lines of our service and its libraries; the WireMock provider's own request log is not ours. */
    public static List<String> serviceLines() {
        return LINES.stream().filter(l -> !l.startsWith("WireMock") && !l.startsWith("com.github.tomakehurst")
                && !l.startsWith("wiremock")).toList();
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        LINES.add(line.toString());
    }
}
