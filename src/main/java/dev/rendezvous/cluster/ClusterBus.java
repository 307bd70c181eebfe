package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Publishing envelopes on other nodes' channels. One channel per node, not per peer: see
 * docs/ARCHITECTURE-cluster.md for the cost of each at a million peers.
 */
final class ClusterBus {

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ConcurrentMap<NodeId, byte[]> channels = new ConcurrentHashMap<>();

    ClusterBus(RedisAsyncCommands<byte[], byte[]> redis) {
        this.redis = redis;
    }

    /**
     * Publishes {@code frame} to {@code node}; the stage yields how many subscribers got it, so 0
     * means the node is gone. Calls made one after another from one thread reach Redis, and so
     * the node, in that order: they share one connection.
     */
    CompletionStage<Long> publish(NodeId node, byte[] frame) {
        return redis.publish(channels.computeIfAbsent(node, ClusterKeys::nodeChannel), frame);
    }
}
