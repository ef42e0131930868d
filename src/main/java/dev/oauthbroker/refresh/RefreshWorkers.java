package dev.oauthbroker.refresh;

import dev.oauthbroker.BrokerProperties;
import dev.oauthbroker.provider.ProviderCatalog;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The bulkhead per provider: each provider's refreshes run on its own threads, at most its
 * catalogue {@code refreshConcurrency} at once, apart from the threads serving requests and from
 * every other provider's — so a provider that fails slowly holds only its own threads, and a
 * burst of due tokens waits its turn in that provider's queue (a queued refresh holds no thread).
 * A request waits for its refresh at most until its deadline and then answers, while the refresh
 * finishes and stores what the provider issued. A full queue ({@code broker.refresh.queue-per-provider})
 * refuses a new refresh at once ({@link RejectedExecutionException}).
 */
@Component
public class RefreshWorkers {

    private final Map<String, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();
    private final ExecutorService answers = Executors.newCachedThreadPool(daemon("refresh-answer-", new AtomicInteger()));
    private final ToIntFunction<String> concurrency;
    private final int queue;
    private volatile boolean draining;

    @Autowired
    public RefreshWorkers(ProviderCatalog catalog, BrokerProperties broker) {
        this(provider -> catalog.provider(provider).refreshConcurrency(), broker.refresh().queuePerProvider());
    }

    RefreshWorkers(ToIntFunction<String> concurrency, int queue) {
        this.concurrency = concurrency;
        this.queue = queue;
    }

    /** Runs a refresh of one of {@code provider}'s grants on that provider's threads, or refuses it. */
    public void execute(String provider, Runnable refresh) {
        if (draining) {
            throw new RejectedExecutionException("refreshes are draining: the service is shutting down");
        }
        pools.computeIfAbsent(provider, this::pool).execute(refresh);
    }

    /**
     * Where a caller's route goes on once its refresh is done (or its deadline came): short work —
     * the answer — kept off the provider's refresh threads and off the timer that ends waits.
     */
    public Executor answers() {
        return answers;
    }

    /**
     * At shutdown: refuses new refreshes (like a full queue) and waits up to {@code timeout} for
     * those running or queued to end, each storing its outcome and giving its lease back. True
     * when all ended in time; one still running after it is interrupted at {@link #stop} and its
     * lease expires after {@code broker.refresh.lease}.
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        pools.values().forEach(ThreadPoolExecutor::shutdown);
        long end = System.nanoTime() + timeout.toNanos();
        for (ThreadPoolExecutor pool : pools.values()) {
            if (!pool.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    private ThreadPoolExecutor pool(String provider) {
        int threads = concurrency.applyAsInt(provider);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                daemon("refresh-" + provider + "-", new AtomicInteger()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(String prefix, AtomicInteger counter) {
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    void stop() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
        answers.shutdownNow();
    }
}
