package dev.oauthbroker.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger for a line written on every request (a token handout): request threads only queue its
 * lines, and one thread of its own hands them to the appenders the root logger has (Spring Boot's
 * console, structured or not, and whatever else is configured) every {@value #PERIOD_MILLIS} ms,
 * all that queued meanwhile. Written on the request thread, every concurrent request waited its
 * turn on the console's lock while another wrote to stdout; handed to a writer woken for each line
 * (logback's {@code AsyncAppender}), the wake-up cost more than the line at low concurrency. A line
 * is written at most that period later. Nothing is dropped: with 8,192 lines waiting, a caller waits
 * for the next write. The message is formatted by the writer, so the arguments must not change
 * after the call (strings, numbers). Logging's reset when a Spring context starts detaches it; the
 * next {@link #of} attaches it again.
 */
public final class OffThreadLog {

    static final String APPENDER = "off-thread";
    static final long PERIOD_MILLIS = 10;
    private static final int QUEUE = 8192;

    private OffThreadLog() {
    }

    /** The logger of {@code type}, its lines written off the calling thread (as is, when logging is not logback). */
    public static Logger of(Class<?> type) {
        Logger logger = LoggerFactory.getLogger(type);
        if (logger instanceof ch.qos.logback.classic.Logger target) {
            synchronized (OffThreadLog.class) {
                if (target.getAppender(APPENDER) == null) {
                    LoggerContext context = target.getLoggerContext();
                    Deferred deferred = new Deferred(context.getLogger(Logger.ROOT_LOGGER_NAME));
                    deferred.setContext(context);
                    deferred.setName(APPENDER);
                    deferred.start();
                    target.addAppender(deferred);
                    target.setAdditive(false);
                }
            }
        }
        return logger;
    }

    /** Queues each line with what only the calling thread knows (its name and MDC); its writer hands the lines on. */
    private static final class Deferred extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE);
        private final ch.qos.logback.classic.Logger root;
        private final Thread writer = new Thread(this::write, "off-thread-log");

        Deferred(ch.qos.logback.classic.Logger root) {
            this.root = root;
            writer.setDaemon(true);
        }

        @Override
        public void start() {
            super.start();
            writer.start();
        }

        /** Writes what is queued, then ends its writer. */
        @Override
        public void stop() {
            super.stop();
            writer.interrupt();
            try {
                writer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            event.getThreadName();
            event.getMDCPropertyMap();
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write() {
            List<ILoggingEvent> lines = new ArrayList<>();
            boolean stopping = false;
            while (!stopping) {
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    stopping = true;
                }
                while (queue.drainTo(lines, QUEUE) > 0) {
                    lines.forEach(root::callAppenders);
                    lines.clear();
                }
            }
        }
    }
}
