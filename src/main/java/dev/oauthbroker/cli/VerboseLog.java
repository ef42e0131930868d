package dev.oauthbroker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;

/**
 * {@code --verbose}: streams the broker's own log lines (each attempt, backoff delay, coalescing
 * wait, outcome — never a token, the service logs none) live to the terminal, with the time since
 * the command started.
 */
final class VerboseLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final PrintWriter out;
    private final long started = System.nanoTime();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.oauthbroker");
    private final Level previous;
    private final boolean previousAdditivity;

    private VerboseLog(PrintWriter out) {
        this.out = out;
        this.previous = logger.getLevel();
        this.previousAdditivity = logger.isAdditive();
        setContext(logger.getLoggerContext());
        setName("cli-verbose");
        start();
        logger.addAppender(this);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    static VerboseLog attachIf(boolean verbose, PrintWriter out) {
        return verbose ? new VerboseLog(out) : null;
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
