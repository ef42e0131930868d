package dev.oauthbroker.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger for a line written on every request (a token handout): its lines go through logback's
 * {@link AsyncAppender} to the appenders the root logger has (Spring Boot's console, structured or
 * not, and whatever else is configured), written by one thread of its own. Request threads only
 * queue the line; without it, every concurrent request waited its turn on the console's lock while
 * another wrote to stdout. Nothing is dropped: with 8,192 lines waiting, a caller waits as before.
 * Its arguments must not change after the call (strings, numbers): the line is formatted later.
 * Logging's reset when a Spring context starts detaches it; the next {@link #of} attaches it again.
 */
public final class OffThreadLog {

    static final String APPENDER = "off-thread";
    private static final int QUEUE = 8192;

    private OffThreadLog() {
    }

    /** The logger of {@code type}, its lines written off the calling thread (as is, when logging is not logback). */
    public static Logger of(Class<?> type) {
        Logger logger = LoggerFactory.getLogger(type);
        if (logger instanceof ch.qos.logback.classic.Logger target) {
            synchronized (OffThreadLog.class) {
                if (target.getAppender(APPENDER) == null) {
                    attach(target);
                }
            }
        }
        return logger;
    }

    /**
     * Queues a line with what only the calling thread knows (its name and MDC); the writing thread
     * formats the message. Logback's own {@link AsyncAppender} formats it before queueing, on the
     * request thread — fine for any arguments, but this logger's are strings and numbers, which do
     * not change meanwhile.
     */
    private static final class Deferred extends AsyncAppender {

        @Override
        protected void preprocess(ILoggingEvent event) {
            event.getThreadName();
            event.getMDCPropertyMap();
        }
    }

    /** Hands each line to the root logger's appenders as they are when it is written. */
    private static final class ToRoot extends AppenderBase<ILoggingEvent> {

        private final ch.qos.logback.classic.Logger root;

        ToRoot(ch.qos.logback.classic.Logger root) {
            this.root = root;
        }

        @Override
        protected void append(ILoggingEvent event) {
            root.callAppenders(event);
        }
    }

    private static void attach(ch.qos.logback.classic.Logger target) {
        LoggerContext context = target.getLoggerContext();
        AsyncAppender async = new Deferred();
        async.setContext(context);
        async.setName(APPENDER);
        async.setQueueSize(QUEUE);
        // the default drops INFO lines when the queue is 80 % full: every line is kept instead
        async.setDiscardingThreshold(0);
        ToRoot toRoot = new ToRoot(context.getLogger(Logger.ROOT_LOGGER_NAME));
        toRoot.setContext(context);
        toRoot.start();
        async.addAppender(toRoot);
        async.start();
        target.addAppender(async);
        target.setAdditive(false);
    }
}
