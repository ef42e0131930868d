package dev.oauthbroker;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/** Keeps every log line of the test JVM (message and exception texts) so tests can assert what was never logged. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
    private static LogCapture installed;

    public static synchronized void install() {
        if (installed != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        installed = new LogCapture();
        installed.setContext(context);
        installed.setName("test-capture");
        installed.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(installed);
        context.addListener(new ch.qos.logback.classic.spi.LoggerContextListener() {
            public boolean isResetResistant() { return true; }
            public void onStart(LoggerContext c) {}
            public void onReset(LoggerContext c) { c.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(installed); }
            public void onStop(LoggerContext c) {}
            public void onLevelChange(Logger l, ch.qos.logback.classic.Level level) {}
        });
    }

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
