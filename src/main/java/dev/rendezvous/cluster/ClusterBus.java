package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Carries envelopes to other nodes over Redis pub/sub: one channel per node, not per peer (see
 * "Cluster mode" in docs/ARCHITECTURE.md for what each costs at a million peers). Each destination
 * node has a {@link NodeOutbox} that keeps the order and coalesces envelopes into few PUBLISHes.
 */
final class ClusterBus {

    /** What becomes of envelopes that did not reach their node. */
    interface Returns {
        /** Nobody listens on the node's channel: the node is gone, its leases are stale. */
        void nodeGone(NodeId node, RemoteRoutes.Outbound message);

        /** Redis refused, did not answer in time, or the outbox is full. */
        void unreachable(RemoteRoutes.Outbound message, String why);
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Returns returns;
    private final ClusterEvents events;
    private final ConcurrentMap<NodeId, NodeOutbox> outboxes = new ConcurrentHashMap<>();

    ClusterBus(RedisAsyncCommands<byte[], byte[]> redis, Returns returns, ClusterEvents events) {
        this.redis = redis;
        this.returns = returns;
        this.events = events;
    }

    /** Hands {@code message} to {@code node}'s outbox; never blocks. */
    void send(NodeId node, RemoteRoutes.Outbound message) {
        NodeOutbox outbox = outboxes.computeIfAbsent(node, n -> new NodeOutbox(n, redis, returns, events));
        if (!outbox.offer(message)) {
            returns.unreachable(message, "cluster bus overloaded");
        }
    }
}
