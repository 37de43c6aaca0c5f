package org.callbackkit.benchmarks;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, appended by one thread, merged and sorted at the end: exact
 * percentiles without a histogram library, at 8 bytes a sample (a few million samples at most,
 * as every load loop here is bounded in count).
 */
final class Latencies {

    private long[] values = new long[4096];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All samples of {@code parts}, sorted. */
    static long[] sorted(Iterable<Latencies> parts) {
        int total = 0;
        for (Latencies part : parts) {
            total += part.size;
        }
        long[] all = new long[total];
        int at = 0;
        for (Latencies part : parts) {
            System.arraycopy(part.values, 0, all, at, part.size);
            at += part.size;
        }
        Arrays.sort(all);
        return all;
    }

    /** The {@code quantile} (0..1) of sorted samples in milliseconds, nearest rank; NaN when empty. */
    static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }
}
