package dev.rendezvous.metrics;

/**
 * The last minute of a counter, one slot per second: fed once a second with the counter's total,
 * it keeps the increase of each second. Not thread-safe: one thread samples and reads it.
 */
final class RateWindow {

    static final int SECONDS = 60;

    private final long[] perSecond = new long[SECONDS];
    private int next;
    private int filled;
    private long lastTotal;

    RateWindow(long startTotal) {
        this.lastTotal = startTotal;
    }

    void sample(long total) {
        perSecond[next] = total - lastTotal;
        lastTotal = total;
        next = (next + 1) % SECONDS;
        filled = Math.min(SECONDS, filled + 1);
    }

    /** The increase of each sampled second, oldest first; fewer than 60 in the node's first minute. */
    long[] lastMinute() {
        long[] series = new long[filled];
        for (int i = 0; i < filled; i++) {
            series[i] = perSecond[(next - filled + i + SECONDS) % SECONDS];
        }
        return series;
    }

    /** The mean increase per second over the seconds in {@link #lastMinute()}; 0 before the first sample. */
    double average() {
        if (filled == 0) {
            return 0;
        }
        long sum = 0;
        for (long count : lastMinute()) {
            sum += count;
        }
        return (double) sum / filled;
    }
}
