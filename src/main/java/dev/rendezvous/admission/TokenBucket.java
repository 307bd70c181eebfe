package dev.rendezvous.admission;

/**
 * A token bucket's constants, with its state kept by the caller as a single {@code long}: the
 * time at which the bucket will be full again (the "theoretical arrival time" of the generic cell
 * rate algorithm, ITU-T I.371). One field per bucket, no lock, no allocation; {@code burst} events
 * fit at once, then one per {@code 1/rate} seconds. Times are {@link System#nanoTime()} values and
 * are only ever compared by difference, so they may wrap.
 */
final class TokenBucket {

    /** Beyond about 36 years an interval would risk overflowing the arithmetic; no rate needs it. */
    private static final long MAX_SPAN_NANOS = 1L << 60;

    private final double rate;
    private final int burst;
    private final long intervalNanos;
    private final long toleranceNanos;

    TokenBucket(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate > 0 and a burst >= 1");
        }
        this.rate = ratePerSecond;
        this.burst = burst;
        this.intervalNanos = Math.max(1, Math.min(MAX_SPAN_NANOS, Math.round(1e9 / ratePerSecond)));
        this.toleranceNanos = (long) Math.min(MAX_SPAN_NANOS, (double) intervalNanos * (burst - 1));
    }

    /** The state of a bucket that is full at {@code nowNanos}. */
    static long full(long nowNanos) {
        return nowNanos;
    }

    /** Whether one more event fits now. */
    boolean fits(long state, long nowNanos) {
        return state - nowNanos <= toleranceNanos;
    }

    /** The state after an event that {@link #fits} has been taken. */
    long take(long state, long nowNanos) {
        return (state - nowNanos < 0 ? nowNanos : state) + intervalNanos;
    }

    /** Whether the bucket is full again: no trace of past events is left. */
    boolean isFull(long state, long nowNanos) {
        return state - nowNanos <= 0;
    }

    /** How long until one more event fits; 0 when it fits now. */
    long waitNanos(long state, long nowNanos) {
        return Math.max(0, state - nowNanos - toleranceNanos);
    }

    double rate() {
        return rate;
    }

    int burst() {
        return burst;
    }

    /** "5 handshakes/s (burst 20)", for log lines. */
    String describe(String events) {
        String perSecond = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
        return perSecond + " " + events + "/s (burst " + burst + ")";
    }
}
