package dev.rendezvous.cluster;

import dev.rendezvous.signaling.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Taking an ID over from a socket on another node, and what the replaced node does for a while
 * after (see "Taking back an ID" in docs/ARCHITECTURE.md).
 *
 * <p>The newcomer's node tells the replaced node and waits for its answer before the newcomer's
 * 101: by then the old socket takes no more messages on its node, and every message that node
 * receives for the ID later (from its own senders, or from nodes that still cache the old route)
 * is forwarded to the newcomer's node for {@code window}, one lease TTL plus the command timeout:
 * a cached route is looked up again once it is one TTL old, so after that nobody sends there.
 */
final class Takeovers {

    /** Where the replaced node is told, and how a replaced holder on this node is let go. */
    interface Side {
        void send(NodeId node, RemoteRoutes.Outbound envelope);

        /** Closes the local socket whose lease is {@code token} with 4410, if there still is one; true when none holds the ID here now. */
        boolean letGo(PeerId id, byte[] token);
    }

    private record Moved(NodeId node, long until) {
    }

    private final NodeId self;
    private final Side side;
    private final Duration answerWait;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<PeerId, Moved> moved = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Void>> awaiting = new ConcurrentHashMap<>();

    /**
     * @param answerWait how long the newcomer waits for the replaced node: it may be frozen, and a
     *                   frozen node delivers nothing anyway
     */
    Takeovers(NodeId self, Side side, Duration answerWait, Duration window, LongSupplier nanoClock) {
        this.self = self;
        this.side = side;
        this.answerWait = answerWait;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Tells {@code node} that the lease {@code replaced} of {@code id} now belongs to {@code token}
     * here; completes when it answers, when it cannot be reached, or after the answer wait.
     */
    CompletableFuture<Void> tell(NodeId node, PeerId id, byte[] replaced, byte[] token) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        String key = new String(token, StandardCharsets.UTF_8);
        awaiting.put(key, answered);
        answered.whenComplete((ok, failure) -> awaiting.remove(key, answered));
        side.send(node, new RemoteRoutes.Outbound(null, id, ClusterEnvelope.takeover(self, id, replaced, token),
                answered));
        return answered.completeOnTimeout(null, answerWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the replaced node: let the old socket go, forward what still comes for the ID, answer. */
    void takeoverReported(ClusterEnvelope envelope) {
        byte[] payload = envelope.payload().toByteArray();
        int newline = indexOf(payload, (byte) '\n');
        if (newline < 0) {
            throw new IllegalArgumentException("takeover notice without a token");
        }
        byte[] replaced = Arrays.copyOfRange(payload, 0, newline);
        byte[] token = Arrays.copyOfRange(payload, newline + 1, payload.length);
        if (side.letGo(envelope.recipient(), replaced)) {
            moved.put(envelope.recipient(), new Moved(envelope.origin(), nanoClock.getAsLong() + windowNanos));
        }
        side.send(envelope.origin(), new RemoteRoutes.Outbound(null, envelope.recipient(),
                ClusterEnvelope.takeoverDone(self, envelope.recipient(), token)));
    }

    /** On the newcomer's node: the replaced node has let its socket go. */
    void takeoverDone(ClusterEnvelope envelope) {
        CompletableFuture<Void> answered =
                awaiting.remove(new String(envelope.payload().toByteArray(), StandardCharsets.UTF_8));
        if (answered != null) {
            answered.complete(null);
        }
    }

    /** The node a message for {@code id} goes to instead, because the ID moved there lately; else null. */
    NodeId movedTo(PeerId id) {
        Moved to = moved.get(id);
        if (to == null) {
            return null;
        }
        if (nanoClock.getAsLong() - to.until() > 0) {
            moved.remove(id, to);
            return null;
        }
        return to.node();
    }

    /** This node holds {@code id} again: nothing for it is forwarded any more (so forwards never loop). */
    void heldHere(PeerId id) {
        moved.remove(id);
    }

    /** Drops forwards whose window has passed; run every lease round. */
    void purge() {
        long now = nanoClock.getAsLong();
        moved.values().removeIf(to -> now - to.until() > 0);
    }

    int forwarding() {
        return moved.size();
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
