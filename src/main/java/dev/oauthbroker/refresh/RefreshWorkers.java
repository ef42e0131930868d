package dev.oauthbroker.refresh;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The threads refreshes run on, apart from the threads serving requests: a request waits for its
 * refresh at most until its deadline and then answers, while the refresh finishes and stores what
 * the provider issued. Bounded and unqueued: with every worker busy a new refresh is refused at
 * once ({@link java.util.concurrent.RejectedExecutionException}) rather than queued behind a
 * provider's trouble. (Deliberately not an {@code Executor} bean: Spring Boot would then stop
 * configuring the request executor.)
 */
@Component
public class RefreshWorkers {

    private final ThreadPoolExecutor pool;

    public RefreshWorkers(@Value("${broker.refresh.workers}") int workers) {
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "refresh-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    public void execute(Runnable refresh) {
        pool.execute(refresh);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
