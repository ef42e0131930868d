package dev.oauthbroker.bench;

import java.util.Arrays;
import java.util.List;

/** What one load run measured: answers, non-200 answers (or failed connections), throughput and latency percentiles. */
record Latencies(int requests, int errors, double seconds, long[] sortedNanos) {

    /** The figures a table reads, from these latencies or from another load generator; latencies in milliseconds. */
    record Summary(long requests, long errors, double seconds, double p50Millis, double p99Millis) {

        double perSecond() {
            return requests / seconds;
        }
    }

    /** One load thread's measurements, merged after the run. */
    static final class Recorder {
        private long[] nanos = new long[1024];
        private int count;
        private int errors;

        void record(long elapsed, int status) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = elapsed;
            if (status != 200) {
                errors++;
            }
        }

        void error(long elapsed) {
            record(elapsed, -1);
        }
    }

    static Latencies of(List<Recorder> recorders, double seconds) {
        int total = recorders.stream().mapToInt(r -> r.count).sum();
        long[] all = new long[total];
        int at = 0;
        int errors = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.nanos, 0, all, at, r.count);
            at += r.count;
            errors += r.errors;
        }
        Arrays.sort(all);
        return new Latencies(total, errors, seconds, all);
    }

    double perSecond() {
        return requests / seconds;
    }

    double percentileMillis(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    Summary summary() {
        return new Summary(requests, errors, seconds, percentileMillis(50), percentileMillis(99));
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}
