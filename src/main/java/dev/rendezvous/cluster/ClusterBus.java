package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Carries envelopes to other nodes over Redis pub/sub: one channel per node, not per peer (see
 * docs/ARCHITECTURE-cluster.md for what each costs at a million peers).
 *
 * <p>Each destination node has an {@link NodeOutbox}; one flusher thread drains them all, so
 * every PUBLISH is issued from that one thread, in queue order, on one connection: what a sender
 * hands over in order reaches the other node in order.
 */
final class ClusterBus implements AutoCloseable {

    /** What becomes of envelopes that did not reach their node. */
    interface Returns {
        /** Nobody listens on the node's channel: the node is gone, its leases are stale. */
        void nodeGone(NodeId node, RemoteRoutes.Outbound message);

        /** Redis refused or did not answer in time. */
        void unreachable(RemoteRoutes.Outbound message, String why);
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Returns returns;
    private final ExecutorService flusher;
    private final ConcurrentMap<NodeId, NodeOutbox> outboxes = new ConcurrentHashMap<>();

    ClusterBus(RedisAsyncCommands<byte[], byte[]> redis, NodeId self, Returns returns) {
        this.redis = redis;
        this.returns = returns;
        this.flusher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rendezvous-bus-" + self);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues {@code message} for {@code node}; never blocks. Refuses with an error frame when the outbox is full. */
    void send(NodeId node, RemoteRoutes.Outbound message) {
        NodeOutbox outbox = outboxes.computeIfAbsent(node, n -> new NodeOutbox(n, redis, flusher, returns));
        if (!outbox.offer(message)) {
            returns.unreachable(message, "cluster bus overloaded");
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
