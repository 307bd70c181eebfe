package dev.rendezvous.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The platform's own wake-up latency, with no network and no server: one thread sleeps for a short
 * interval again and again and records how late it wakes. Every relayed message needs at least two
 * such wake-ups (the server's event loop and the receiver's), so this is the floor under any
 * latency figure measured on the same machine. Run pinned to the server's core, alone or beside a
 * busy core: {@code bench/jitter}.
 *
 * <p>Usage: {@code WakeupJitter <seconds> <sleep-µs>}. Lateness includes Linux's timer slack
 * (50 µs for normal threads), which sets its median.
 */
public final class WakeupJitter {

    private WakeupJitter() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long sleepNanos = TimeUnit.MICROSECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 20);
        Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < 10_000; i++) {
            LockSupport.parkNanos(sleepNanos);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long over500us = 0;
        for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
            LockSupport.parkNanos(sleepNanos);
            long late = Math.max(0, System.nanoTime() - start - sleepNanos);
            lateness.recordValue(Math.min(late, lateness.getHighestTrackableValue()));
            if (late > 500_000) {
                over500us++;
            }
        }
        long n = lateness.getTotalCount();
        System.out.printf("wake-ups/s %d; lateness µs: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f; "
                        + "late by more than 500 µs: %.4f%%%n",
                n / seconds, us(lateness, 50), us(lateness, 90), us(lateness, 99), us(lateness, 99.9),
                lateness.getMaxValue() / 1e3, 100.0 * over500us / n);
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }
}
