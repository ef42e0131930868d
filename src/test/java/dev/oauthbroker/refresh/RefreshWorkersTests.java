package dev.oauthbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshWorkersTests {

    final RefreshWorkers workers = new RefreshWorkers(provider -> provider.equals("slow") ? 1 : 2, 1);
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        workers.stop();
    }

    @Test
    void aFullProviderQueueRefusesAtOnceWhileOtherProvidersStillRun() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        workers.execute("slow", () -> {
            running.countDown();
            await(release);
        });
        running.await(5, TimeUnit.SECONDS);
        workers.execute("slow", () -> {});

        assertThatThrownBy(() -> workers.execute("slow", () -> {})).isInstanceOf(RejectedExecutionException.class);
        CountDownLatch other = new CountDownLatch(1);
        workers.execute("fast", other::countDown);
        assertThat(other.await(5, TimeUnit.SECONDS)).as("another provider's refresh runs on its own threads").isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
