package dev.oauthbroker.refresh;

import dev.oauthbroker.provider.ProviderCatalog;
import jakarta.annotation.PreDestroy;
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
import org.springframework.beans.factory.annotation.Value;
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

    @Autowired
    public RefreshWorkers(ProviderCatalog catalog, @Value("${broker.refresh.queue-per-provider}") int queue) {
        this(provider -> catalog.provider(provider).refreshConcurrency(), queue);
    }

    RefreshWorkers(ToIntFunction<String> concurrency, int queue) {
        this.concurrency = concurrency;
        this.queue = queue;
    }

    /** Runs a refresh of one of {@code provider}'s grants on that provider's threads, or refuses it. */
    public void execute(String provider, Runnable refresh) {
        pools.computeIfAbsent(provider, this::pool).execute(refresh);
    }

    /**
     * Where a caller's route goes on once its refresh is done (or its deadline came): short work —
     * the answer — kept off the provider's refresh threads and off the timer that ends waits.
     */
    public Executor answers() {
        return answers;
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
