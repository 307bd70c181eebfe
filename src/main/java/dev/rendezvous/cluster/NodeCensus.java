package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The nodes of the cluster as Redis sees them: every node listens on its own channel, so
 * {@code PUBSUB CHANNELS rdv:node:*} names the running ones. For {@code /stats}: asked at most once
 * per {@link #MAX_AGE}, asynchronously, so an operator refreshing the page never queues commands.
 */
final class NodeCensus {

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private static final byte[] PATTERN = ClusterKeys.utf8(ClusterKeys.NODE_CHANNEL_PREFIX + "*");

    private record Count(CompletableFuture<List<String>> nodes, long askedAt) {
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final LongSupplier nanoClock;
    private final AtomicReference<Count> last = new AtomicReference<>();

    NodeCensus(RedisAsyncCommands<byte[], byte[]> redis, LongSupplier nanoClock) {
        this.redis = redis;
        this.nanoClock = nanoClock;
    }

    /** The node IDs listening now, sorted; fails when Redis cannot be asked. */
    CompletionStage<List<String>> nodes() {
        long now = nanoClock.getAsLong();
        Count current = last.get();
        if (current != null && now - current.askedAt() < MAX_AGE.toNanos()
                && !current.nodes().isCompletedExceptionally()) {
            return current.nodes();
        }
        Count next = new Count(new CompletableFuture<>(), now);
        if (!last.compareAndSet(current, next)) {
            return last.get().nodes();
        }
        try {
            redis.pubsubChannels(PATTERN).whenComplete((channels, failure) -> {
                if (failure != null) {
                    next.nodes().completeExceptionally(failure);
                } else {
                    next.nodes().complete(names(channels));
                }
            });
        } catch (RuntimeException e) {
            next.nodes().completeExceptionally(e);
        }
        return next.nodes();
    }

    private static List<String> names(List<byte[]> channels) {
        List<String> names = new ArrayList<>(channels.size());
        for (byte[] channel : channels) {
            names.add(new String(channel, StandardCharsets.UTF_8).substring(ClusterKeys.NODE_CHANNEL_PREFIX.length()));
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
