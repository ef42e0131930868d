package dev.oauthbroker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;

/**
 * {@code --verbose}: streams the broker's own log lines, debug included (each read, attempt, backoff
 * delay, coalescing wait, outcome — never a token, the service logs none) live to the terminal,
 * with the time since the command started.
 */
final class VerboseLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final PrintWriter out;
    private final long started;
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.oauthbroker");
    private final Level previous;
    private final boolean previousAdditivity;

    /** Attaches at once; {@code started} is the command's start ({@link System#nanoTime()}). */
    VerboseLog(PrintWriter out, long started) {
        this.out = out;
        this.started = started;
        this.previous = logger.getLevel();
        this.previousAdditivity = logger.isAdditive();
        setContext(logger.getLoggerContext());
        setName("cli-verbose");
        start();
        logger.addAppender(this);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    @Override
    protected void append(ILoggingEvent event) {
        out.printf("  +%5d ms  %-5s %s%n", (System.nanoTime() - started) / 1_000_000, event.getLevel(), event.getFormattedMessage());
        out.flush();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(previous);
        logger.setAdditive(previousAdditivity);
        stop();
    }
}
