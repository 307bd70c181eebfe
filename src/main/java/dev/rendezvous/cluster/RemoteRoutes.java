package dev.rendezvous.cluster;

import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Which node holds each remote ID: a bounded cache over the directory, filled by {@code GET} on
 * first use and dropped when the holder turns out to be gone, or when the route is older than
 * {@code maxAge}.
 *
 * <p>The age limit is what catches a node that froze or lost power: its connection to Redis stays
 * open until Redis's TCP keepalive gives up, so publishing to it still "succeeds" and nothing
 * marks the route stale. Its leases lapse within one TTL, though, so a lookup made after that
 * finds nobody. With {@code maxAge} = the lease TTL, messages to its peers turn into
 * {@code peer-unavailable} within two TTLs.
 *
 * <p>Order per sender→recipient pair is kept while a lookup is in flight: messages for an ID
 * whose route is being looked up wait behind the lookup, and are published in arrival order, in
 * the same atomic step that installs the route, so a later message can never overtake them.
 */
final class RemoteRoutes {

    /** Where the directory is asked which node holds an ID: {@link IdDirectory#lookup} in production. */
    @FunctionalInterface
    interface Lookups {
        /** The lease value ({@code <node>/<token>}) of the key, or null when nobody holds it. */
        CompletionStage<byte[]> lookup(byte[] key);
    }

    /** Messages that may wait for one lookup; more means Redis is too slow to be worth queueing for. */
    static final int MAX_WAITING = 1024;

    /**
     * One envelope on its way to another node; {@code sender} is null for a notice between nodes.
     * {@code undelivered}, when set, completes if the envelope cannot reach its node.
     */
    record Outbound(PeerSession sender, PeerId recipient, byte[] frame, CompletableFuture<Void> undelivered) {
        Outbound(PeerSession sender, PeerId recipient, byte[] frame) {
            this(sender, recipient, frame, null);
        }
    }

    /** What becomes of a message once its route is known. */
    interface Dispatch {
        void publish(NodeId node, Outbound message);

        /** Nobody in the cluster holds the recipient. */
        void unknown(Outbound message);

        /** The directory could not be asked. */
        void unreachable(Outbound message, String why);
    }

    private sealed interface Route permits Known, Lookup {
    }

    /**
     * A cached route. Invalidation only marks it stale (a plain read and a volatile write), so it
     * is safe from anywhere — even from inside {@code compute}, where a publish may be refused
     * on the spot and report back synchronously.
     */
    private static final class Known implements Route {
        final NodeId node;
        final long expiresAt;
        volatile boolean stale;

        Known(NodeId node, long expiresAt) {
            this.node = node;
            this.expiresAt = expiresAt;
        }

        boolean usableAt(long now) {
            return !stale && now - expiresAt < 0;
        }
    }

    /**
     * A lookup in flight and the messages waiting for it. {@code waiting} is guarded by the map's
     * per-key lock: only touched inside {@code compute}.
     */
    private static final class Lookup implements Route {
        final List<Outbound> waiting = new ArrayList<>(4);
        /** When the lookup was sent: the answer is as old as that, and ages from there. */
        final long sentAt;
        /**
         * The route being installed, set before the waiting messages are published and stored in
         * the map right after. Until it is stored, this lookup is what the map holds, so a "node
         * gone" answer to one of those messages — from another thread, or on this very thread
         * inside the compute when the PUBLISH completed before its callback was attached — finds
         * the route to mark here. Volatile: that answer is read without the map's lock.
         */
        volatile Known answer;

        Lookup(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    private final ConcurrentMap<PeerId, Route> routes = new ConcurrentHashMap<>();
    private final Lookups directory;
    private final NodeId self;
    private final int capacity;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Dispatch dispatch;

    /**
     * @param maxAge    how long a route is trusted before it is looked up again
     * @param nanoClock {@link System#nanoTime} in production
     */
    RemoteRoutes(Lookups directory, NodeId self, int capacity, Duration maxAge, LongSupplier nanoClock,
            Dispatch dispatch) {
        this.directory = directory;
        this.self = self;
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
        this.dispatch = dispatch;
    }

    void send(Outbound message) {
        boolean[] startLookup = {false};
        boolean[] overflow = {false};
        long now = nanoClock.getAsLong();
        routes.compute(message.recipient(), (id, route) -> {
            if (route instanceof Known known && known.usableAt(now)) {
                dispatch.publish(known.node, message);
                return known;
            }
            Lookup lookup = route instanceof Lookup pending ? pending : null;
            if (lookup == null) {
                lookup = new Lookup(now);
                startLookup[0] = true;
            } else if (lookup.waiting.size() >= MAX_WAITING) {
                overflow[0] = true;
                return lookup;
            }
            lookup.waiting.add(message);
            return lookup;
        });
        if (overflow[0]) {
            dispatch.unreachable(message, "id directory too slow");
        } else if (startLookup[0]) {
            PeerId recipient = message.recipient();
            directory.lookup(ClusterKeys.idKey(recipient))
                    .whenComplete((owner, failure) -> resolved(recipient, owner, failure));
        }
    }

    /** Forgets the route to {@code recipient} if it still points at {@code node}; the next message looks it up. */
    void invalidate(PeerId recipient, NodeId node) {
        // A plain read, not computeIfPresent: this runs inside other keys' computes (a publish
        // settles a whole batch, for many recipients, on the spot), and taking a second bin lock
        // there could deadlock two threads. A lookup that is installing its route is covered by
        // its answer.
        Route route = routes.get(recipient);
        Known known = route instanceof Lookup lookup ? lookup.answer : (Known) route;
        if (known != null && known.node.equals(node)) {
            known.stale = true;
        }
    }

    int size() {
        return routes.size();
    }

    private void resolved(PeerId recipient, byte[] owner, Throwable failure) {
        NodeId node = failure == null ? ClusterKeys.ownerOf(owner) : null;
        routes.compute(recipient, (id, route) -> {
            Lookup lookup = (Lookup) route;
            if (failure != null) {
                lookup.waiting.forEach(m -> dispatch.unreachable(m, "id directory unreachable"));
                return null;
            }
            // Our own node in the directory but not in the local registry: the holder just left.
            if (node == null || node.equals(self)) {
                lookup.waiting.forEach(dispatch::unknown);
                return null;
            }
            lookup.answer = new Known(node, lookup.sentAt + maxAgeNanos);
            lookup.waiting.forEach(m -> dispatch.publish(node, m));
            return lookup.answer;
        });
        if (routes.size() > capacity) {
            evictSome();
        }
    }

    /** Drops about a tenth of the known routes, stale ones included; they are refetched on next use. Keeps lookups. */
    private void evictSome() {
        int toDrop = Math.max(1, capacity / 10);
        Iterator<Map.Entry<PeerId, Route>> it = routes.entrySet().iterator();
        while (toDrop > 0 && it.hasNext()) {
            Map.Entry<PeerId, Route> entry = it.next();
            // remove(key, value), not the iterator's remove: the entry may have turned into a
            // lookup since it was read, and a lookup must never be dropped with its waiting messages.
            if (entry.getValue() instanceof Known known && routes.remove(entry.getKey(), known)) {
                toDrop--;
            }
        }
    }
}
