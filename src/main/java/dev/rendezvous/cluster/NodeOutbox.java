package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelopes waiting for one node. Senders append from any thread; the bus's flusher drains
 * the queue into as few PUBLISHes as it can. Whatever arrives while a PUBLISH is being issued
 * rides in the next one, so batches grow with load and a lone message is not held back.
 *
 * <p>Bytes queued or in flight are bounded: past {@link #MAX_PENDING_BYTES} a sender gets
 * {@code cluster-unavailable} instead of the node growing its heap while Redis falls behind.
 */
final class NodeOutbox {

    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;

    private final byte[] channel;
    private final NodeId node;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Executor flusher;
    private final ClusterBus.Returns returns;
    private final Queue<RemoteRoutes.Outbound> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong pendingBytes = new AtomicLong();

    NodeOutbox(NodeId node, RedisAsyncCommands<byte[], byte[]> redis, Executor flusher, ClusterBus.Returns returns) {
        this.node = node;
        this.channel = ClusterKeys.nodeChannel(node);
        this.redis = redis;
        this.flusher = flusher;
        this.returns = returns;
    }

    boolean offer(RemoteRoutes.Outbound message) {
        int size = message.frame().length;
        if (pendingBytes.addAndGet(size) > MAX_PENDING_BYTES) {
            pendingBytes.addAndGet(-size);
            return false;
        }
        queue.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                flusher.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The node is stopping; whatever is queued now is dropped with the process.
                drainScheduled.set(false);
            }
        }
        return true;
    }

    /** Runs on the flusher thread only. */
    private void drain() {
        // Cleared first: an offer racing with this drain schedules another, which finds its message.
        drainScheduled.set(false);
        List<RemoteRoutes.Outbound> batch;
        while (!(batch = takeBatch()).isEmpty()) {
            publish(batch);
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

    private void publish(List<RemoteRoutes.Outbound> batch) {
        List<byte[]> envelopes = new ArrayList<>(batch.size());
        long bytes = 0;
        for (RemoteRoutes.Outbound message : batch) {
            envelopes.add(message.frame());
            bytes += message.frame().length;
        }
        long sent = bytes;
        redis.publish(channel, BusFrame.encode(envelopes)).whenComplete((receivers, failure) -> {
            pendingBytes.addAndGet(-sent);
            if (failure != null) {
                batch.forEach(message -> returns.unreachable(message, "cluster bus unreachable"));
            } else if (receivers == 0) {
                batch.forEach(message -> returns.nodeGone(node, message));
            }
        });
    }
}
