package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelopes waiting for one node, with at most one PUBLISH to that node in flight.
 *
 * <p>A sender that finds nothing in flight publishes its envelope at once, on its own thread:
 * no hand-off, no added latency. While a PUBLISH is in flight, envelopes queue up; when Redis
 * answers, everything queued meanwhile leaves in the next PUBLISH (up to {@link #MAX_BATCH_BYTES}).
 * So batches grow with load and the number of Redis commands stays near one per round trip.
 *
 * <p>Order: only the holder of the in-flight flag publishes, and it lets go only when Redis has
 * answered, that is after the previous PUBLISH was written. Every PUBLISH to a node is therefore
 * written after the one before it, whichever thread issues it, and the queue is FIFO.
 *
 * <p>Bytes queued or in flight are bounded: past {@link #MAX_PENDING_BYTES} a sender gets
 * {@code cluster-unavailable} instead of the node growing its heap while Redis falls behind.
 */
final class NodeOutbox {

    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;

    private final NodeId node;
    private final byte[] channel;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ClusterBus.Returns returns;
    private final ClusterEvents events;
    private final Queue<RemoteRoutes.Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong pendingBytes = new AtomicLong();

    NodeOutbox(NodeId node, RedisAsyncCommands<byte[], byte[]> redis, ClusterBus.Returns returns,
            ClusterEvents events) {
        this.node = node;
        this.channel = ClusterKeys.nodeChannel(node);
        this.redis = redis;
        this.returns = returns;
        this.events = events;
    }

    /** Queues {@code message}; false when the outbox is full. Never blocks. */
    boolean offer(RemoteRoutes.Outbound message) {
        int size = message.frame().length;
        if (pendingBytes.addAndGet(size) > MAX_PENDING_BYTES) {
            pendingBytes.addAndGet(-size);
            return false;
        }
        queue.add(message);
        if (inFlight.compareAndSet(false, true)) {
            publishQueued();
        }
        return true;
    }

    /** Runs only while holding the in-flight flag. */
    private void publishQueued() {
        while (true) {
            List<RemoteRoutes.Outbound> batch = takeBatch();
            if (batch.isEmpty()) {
                inFlight.set(false);
                // An offer may have queued after takeBatch but seen the flag still held.
                if (queue.isEmpty() || !inFlight.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            CompletableFuture<Long> reply = publish(batch);
            if (!reply.isDone()) {
                reply.whenComplete((receivers, failure) -> {
                    settle(batch, receivers, failure);
                    publishQueued();
                });
                return;
            }
            // Refused on the spot (Redis disconnected): settle and go on in this loop, not by recursion.
            settle(batch, reply.getNow(null), reply.isCompletedExceptionally() ? failureOf(reply) : null);
        }
    }

    private List<RemoteRoutes.Outbound> takeBatch() {
        List<RemoteRoutes.Outbound> batch = new ArrayList<>();
        int bytes = 0;
        RemoteRoutes.Outbound next;
        while ((next = queue.peek()) != null && (batch.isEmpty() || bytes + next.frame().length <= MAX_BATCH_BYTES)) {
            batch.add(queue.poll());
            bytes += next.frame().length;
        }
        return batch;
    }

    private CompletableFuture<Long> publish(List<RemoteRoutes.Outbound> batch) {
        List<byte[]> envelopes = new ArrayList<>(batch.size());
        for (RemoteRoutes.Outbound message : batch) {
            envelopes.add(message.frame());
        }
        try {
            CompletableFuture<Long> reply = redis.publish(channel, BusFrame.encode(envelopes)).toCompletableFuture();
            events.published(envelopes.size());
            return reply;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void settle(List<RemoteRoutes.Outbound> batch, Long receivers, Throwable failure) {
        long bytes = 0;
        for (RemoteRoutes.Outbound message : batch) {
            bytes += message.frame().length;
        }
        pendingBytes.addAndGet(-bytes);
        if (failure != null) {
            batch.forEach(message -> returns.unreachable(message, "cluster bus unreachable"));
        } else if (receivers == null || receivers == 0) {
            batch.forEach(message -> returns.nodeGone(node, message));
        }
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
