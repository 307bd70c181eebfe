package dev.rendezvous.metrics;

import java.time.Duration;

/**
 * The explicit histogram buckets. Relaying on one node takes tens of microseconds, so the buckets
 * start well below a millisecond; Micrometer's default percentile buckets would spend most of
 * their series on ranges this server never sees.
 */
final class LatencyBuckets {

    /** Decoded to written to the recipient's socket, on one node. */
    static final Duration[] RELAY = {
        micros(25), micros(50), micros(100), micros(250), micros(500), millis(1), micros(2_500), millis(5),
        millis(10), millis(25), millis(50), millis(100), millis(250), millis(1_000)};

    /** Ping sent to pong read: the network and the client's own event loop. */
    static final Duration[] PING = {
        micros(100), micros(250), micros(500), millis(1), micros(2_500), millis(5), millis(10), millis(25),
        millis(50), millis(100), millis(250), millis(500), millis(1_000), millis(2_500), millis(5_000)};

    /** A Redis command, sent to complete reply. */
    static final Duration[] REDIS = {
        micros(50), micros(100), micros(250), micros(500), millis(1), micros(2_500), millis(5), millis(10),
        millis(25), millis(50), millis(100), millis(250), millis(500), millis(1_000), millis(2_000)};

    private LatencyBuckets() {
    }

    /** The buckets in nanoseconds, as a timer's distribution configuration takes them. */
    static double[] nanos(Duration[] buckets) {
        double[] nanos = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            nanos[i] = buckets[i].toNanos();
        }
        return nanos;
    }

    private static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1_000);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
