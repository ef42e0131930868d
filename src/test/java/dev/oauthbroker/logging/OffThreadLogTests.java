package dev.oauthbroker.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.oauthbroker.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines of an off-thread logger reach the root's appenders (here the test's LogCapture), all of them, in order. */
class OffThreadLogTests {

    /** The logger's owner in this test. */
    private static final class Writer {
    }

    @Test
    void everyLineReachesTheRootsAppendersFromAQueueOfItsOwn() {
        Logger log = OffThreadLog.of(Writer.class);
        ch.qos.logback.classic.Logger logback = (ch.qos.logback.classic.Logger) log;
        assertThat(logback.getAppender(OffThreadLog.APPENDER)).isNotNull();
        assertThat(logback.isAdditive()).as("not written twice through the root").isFalse();
        assertThat(OffThreadLog.of(Writer.class)).isSameAs(log);

        // more lines than the queue holds: none is dropped, the caller waits instead
        int lines = 20_000;
        for (int i = 0; i < lines; i++) {
            log.info("off-thread line {}", i);
        }
        String name = Writer.class.getName();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(LogCapture.serviceLines().stream()
                .filter(l -> l.startsWith(name + " off-thread line ")).count()).isEqualTo(lines));
        assertThat(LogCapture.serviceLines().stream().filter(l -> l.startsWith(name + " off-thread line ")).toList())
                .startsWith(name + " off-thread line 0", name + " off-thread line 1")
                .endsWith(name + " off-thread line " + (lines - 1));
    }

    @Test
    void aLineIsWrittenByTheLogsOwnThreadAndKeepsTheCallersThreadName() throws InterruptedException {
        Logger log = OffThreadLog.of(Writer.class);
        List<String> written = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> threads = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLoggerName().equals(Writer.class.getName())) {
                    written.add(event.getThreadName() + " written by " + Thread.currentThread().getName());
                }
            }
        };
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        threads.setContext(root.getLoggerContext());
        threads.start();
        root.addAppender(threads);
        try {
            Thread caller = new Thread(() -> log.info("from a request thread"), "request-thread-1");
            caller.start();
            caller.join();
            await().atMost(Duration.ofSeconds(5)).until(() -> !written.isEmpty());
            assertThat(written).containsExactly("request-thread-1 written by off-thread-log");
        } finally {
            root.detachAppender(threads);
        }
    }
}
