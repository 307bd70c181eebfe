package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the server (bench/profile) and prints, in Markdown, what it spent per
 * unit of work (a relayed message, or an accepted socket): bytes allocated per thread (exact, from
 * the first and last jdk.ThreadAllocationStatistics of each thread), the classes allocated most
 * (jdk.ObjectAllocationSample weights), and the JVM's own events over the recording: collections,
 * safepoints, compilations, deoptimizations.
 *
 * <p>Usage: {@code JfrSummary recording.jfr units}
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JfrSummary recording.jfr units");
            System.exit(2);
        }
        double units = Math.max(1, Double.parseDouble(args[1]));
        Map<String, long[]> allocatedByThread = new LinkedHashMap<>();
        Map<String, Long> sampledByClass = new HashMap<>();
        Map<String, Duration> durations = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ThreadAllocationStatistics" -> {
                    RecordedThread t = e.getThread("thread");
                    String name = t == null ? "?" : t.getJavaName() + " (" + t.getOSThreadId() + ")";
                    long allocated = e.getLong("allocated");
                    allocatedByThread.computeIfAbsent(name, k -> new long[] {allocated, allocated})[1] = allocated;
                }
                case "jdk.ObjectAllocationSample" -> {
                    RecordedClass c = e.getClass("objectClass");
                    sampledByClass.merge(c == null ? "?" : c.getName(), e.getLong("weight"), Long::sum);
                }
                case "jdk.GarbageCollection", "jdk.SafepointBegin", "jdk.Compilation", "jdk.Deoptimization",
                        "jdk.ExecuteVMOperation", "jdk.JavaMonitorWait", "jdk.ThreadPark" -> {
                    counts.merge(type, 1, Integer::sum);
                    durations.merge(type, e.getDuration(), Duration::plus);
                }
                default -> {
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| thread | B allocated per unit |\n|---|---:|\n");
        allocatedByThread.entrySet().stream()
                .filter(t -> t.getValue()[1] > t.getValue()[0])
                .sorted((a, b) -> Long.compare(b.getValue()[1] - b.getValue()[0], a.getValue()[1] - a.getValue()[0]))
                .limit(8)
                .forEach(t -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", t.getKey(),
                        (t.getValue()[1] - t.getValue()[0]) / units)));
        md.append("\n| class allocated (JFR samples, weighted) | B per unit |\n|---|---:|\n");
        List<Map.Entry<String, Long>> classes = new ArrayList<>(sampledByClass.entrySet());
        classes.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        classes.stream().limit(10).forEach(c -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", c.getKey(),
                c.getValue() / units)));
        md.append("\n| JVM event | count | total ms |\n|---|---:|---:|\n");
        counts.forEach((type, n) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.1f |%n", type, n,
                durations.get(type).toNanos() / 1e6)));
        System.out.print(md);
    }
}
