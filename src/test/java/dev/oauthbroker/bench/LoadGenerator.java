package dev.oauthbroker.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * The load of the benchmark, from the harness's JVM (never the broker's): a closed loop of
 * {@code c} keep-alive connections for a while, or a burst of callers released at once.
 */
final class LoadGenerator {

    /** One HTTP request: which instance port, which path, which headers. */
    record Call(int port, String path, String... headers) {}

    /** One caller of a burst: prepared (connected) before the release, then one call giving a status. */
    interface Caller extends AutoCloseable {
        void open() throws IOException;

        int call() throws Exception;

        @Override
        void close() throws IOException;
    }

    private LoadGenerator() {}

    /** A caller sending {@code call} on its own connection, opened before the release. */
    static Caller http(Call call) {
        KeepAliveClient client = new KeepAliveClient("127.0.0.1", call.port());
        return new Caller() {
            public void open() throws IOException {
                client.open();
            }

            public int call() throws IOException {
                return client.get(call.path(), call.headers());
            }

            public void close() throws IOException {
                client.close();
            }
        };
    }

    /** A caller running {@code work} in the harness's own JVM (the reference client). */
    static Caller inProcess(Callable<Integer> work) {
        return new Caller() {
            public void open() {}

            public int call() throws Exception {
                return work.call();
            }

            public void close() {}
        };
    }

    /** {@code concurrency} connections, each sending its next request when the last one answered, for {@code duration}. */
    static Latencies closedLoop(int concurrency, Duration duration, Call call) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<Latencies.Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Latencies.Recorder recorder = new Latencies.Recorder();
            recorders.add(recorder);
            threads.add(start(() -> {
                try (Caller caller = http(call)) {
                    while (System.nanoTime() < end) {
                        timed(caller, recorder);
                    }
                } catch (IOException e) {
                    recorder.error(0);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return Latencies.of(recorders, (System.nanoTime() - start) / 1e9);
    }

    /** {@code callers} threads, each with its own caller, released together, one call each. */
    static Latencies burst(int callers, IntFunction<Caller> factory) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Latencies.Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Caller caller = factory.apply(i);
            Latencies.Recorder recorder = new Latencies.Recorder();
            recorders.add(recorder);
            threads.add(start(() -> {
                try (caller) {
                    caller.open();
                    ready.countDown();
                    go.await();
                    timed(caller, recorder);
                } catch (IOException | InterruptedException e) {
                    recorder.error(0);
                } finally {
                    ready.countDown();
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return Latencies.of(recorders, (System.nanoTime() - start) / 1e9);
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(null, body, "load", 256 * 1024);
        thread.start();
        return thread;
    }

    private static void timed(Caller caller, Latencies.Recorder recorder) throws IOException {
        long t0 = System.nanoTime();
        int status;
        try {
            status = caller.call();
        } catch (Exception e) {
            recorder.error(System.nanoTime() - t0);
            caller.close();
            return;
        }
        recorder.record(System.nanoTime() - t0, status);
    }
}
