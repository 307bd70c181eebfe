package dev.rendezvous.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits the meters of Micrometer's JVM and Netty binders and of Lettuce into this server's names:
 * a {@code rendezvous.} prefix on all of them, a description where the binder gives none (promtool
 * flags a metric without help), no label that names an address or an object identity, and none of
 * the meters promtool rejects by name.
 */
final class ForeignMeters implements MeterFilter {

    static final String PREFIX = "rendezvous.";

    /** Lettuce's command timer ({@code MicrometerCommandLatencyRecorder}), and what it becomes here. */
    static final String LETTUCE_COMPLETION = "lettuce.command.completion";
    static final String REDIS_COMMAND = PREFIX + "redis.command";

    /**
     * Dropped: Lettuce's first-response timer (the completion timer says it all for one-line
     * replies), {@code process.cpu.time} ("ns": an abbreviated unit) and {@code system.cpu.count}
     * (a gauge ending in {@code _count}).
     */
    private static final Set<String> DENIED =
            Set.of("lettuce.command.firstresponse", "process.cpu.time", "system.cpu.count");

    /** Lettuce labels its timers with the connection's local and remote socket addresses. */
    private static final Set<String> ADDRESS_TAGS = Set.of("local", "remote");

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "netty.allocator.memory.used", "Memory reserved by Netty's buffer allocator, by memory type (heap, direct)",
            "netty.allocator.memory.pinned", "Memory of Netty's buffer allocator held by buffers in use, by type",
            "netty.allocator.pooled.arenas", "Arenas of Netty's pooled buffer allocator, by memory type",
            "netty.allocator.pooled.cache.size", "Size of the pooled allocator's per-thread caches, by cache type",
            "netty.allocator.pooled.threadlocal.caches", "Per-thread caches of Netty's pooled buffer allocator",
            "netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled buffer allocator",
            "netty.eventexecutor.tasks.pending", "Tasks waiting in each event loop's queue",
            LETTUCE_COMPLETION, "Redis commands from sent to complete reply, by command");

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (name.startsWith(PREFIX) || DENIED.contains(name)) {
            return id;
        }
        // Lettuce's own description of its timer lacks a closing parenthesis.
        String description = id.getDescription() != null && !name.equals(LETTUCE_COMPLETION) ? id.getDescription()
                : DESCRIPTIONS.getOrDefault(name, "Micrometer binder meter " + name);
        String renamed = name.equals(LETTUCE_COMPLETION) ? REDIS_COMMAND : PREFIX + name;
        return new Meter.Id(renamed, Tags.of(kept(id, name)), id.getBaseUnit(), description, id.getType());
    }

    /**
     * Drops Lettuce's address labels and the Netty allocator's {@code id} (an identity hash: there
     * is one allocator).
     */
    private static List<Tag> kept(Meter.Id id, String name) {
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            boolean address = name.startsWith("lettuce.") && ADDRESS_TAGS.contains(tag.getKey());
            boolean identity = name.startsWith("netty.allocator.") && tag.getKey().equals("id");
            if (!address && !identity) {
                tags.add(tag);
            }
        }
        return tags;
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(REDIS_COMMAND)) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles()
                .serviceLevelObjectives(LatencyBuckets.nanos(LatencyBuckets.REDIS))
                .build()
                .merge(config);
    }
}
