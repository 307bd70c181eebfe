package dev.rendezvous.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** A nanosecond histogram reported in microseconds at the percentiles the targets name. */
final class Latencies {

    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, histogram.getHighestTrackableValue())));
    }

    void reset() {
        histogram.reset();
    }

    long count() {
        return histogram.getTotalCount();
    }

    Map<String, Object> micros() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", histogram.getTotalCount());
        m.put("p50", us(histogram.getValueAtPercentile(50)));
        m.put("p90", us(histogram.getValueAtPercentile(90)));
        m.put("p99", us(histogram.getValueAtPercentile(99)));
        m.put("p999", us(histogram.getValueAtPercentile(99.9)));
        m.put("max", us(histogram.getMaxValue()));
        return m;
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }
}
