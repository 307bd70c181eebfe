package dev.rendezvous.cluster;

import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.Mailbox;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.SignalError;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox across nodes: a message for an ID nobody in the cluster holds goes into a Redis hash
 * for that ID ({@code rdv:mailbox:<id>}), appended by a script that refuses when the ID has a
 * lease (then the message goes to its node) or a bound is reached, and is drained (read and
 * deleted in one script) by the node that wins the ID's claim, after it wins and before the
 * socket's 101. The sender's node tracks what it placed there and times it out itself: at the TTL
 * it removes its entries, and the sender gets {@code expired} for each one still there; one that is
 * gone was drained, and is the drainer's to report. A sender that leaves takes its entries with it.
 */
final class ClusterMailbox {

    private static final Logger log = LoggerFactory.getLogger(ClusterMailbox.class);

    /** What one tracked message costs this node (the entry and its two set nodes), against its total bound. */
    static final int TRACKED_CHARGE = 160;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** How this node reaches another one: the cluster bus. */
    interface Bus {
        void send(NodeId node, RemoteRoutes.Outbound message);
    }

    /** One message this node placed in Redis; guarded by the instance's lock. */
    private static final class Tracked {
        final PeerSession sender;
        final PeerId recipient;
        final long expiresAt;
        /** Its field in the hash; 0 until the append is answered. */
        long seq;
        boolean done;

        Tracked(PeerSession sender, PeerId recipient, long expiresAt) {
            this.sender = sender;
            this.recipient = recipient;
            this.expiresAt = expiresAt;
        }
    }

    private final MailboxScripts scripts;
    private final Mailbox local;
    private final NodeId self;
    private final Bus bus;
    private final long ttlNanos;
    private final long ttlMillis;
    /** Acceptance order is expiry order: one TTL for all. */
    private final Set<Tracked> byAge = new LinkedHashSet<>();
    private final Map<PeerSession, Set<Tracked>> bySender = new HashMap<>();
    private boolean sweepPending;

    ClusterMailbox(RedisAsyncCommands<byte[], byte[]> redis, Mailbox local, NodeId self, Bus bus) {
        this.scripts = new MailboxScripts(redis, local.limits());
        this.local = local;
        this.self = self;
        this.bus = bus;
        this.ttlNanos = local.limits().ttl().toNanos();
        this.ttlMillis = local.limits().ttl().toMillis();
    }

    /**
     * Holds a message whose recipient nobody in the cluster holds. The sender hears {@code held} once
     * Redis has it, {@code mailbox-full} at a bound, {@code cluster-unavailable} when Redis fails;
     * when the ID was claimed meanwhile, the message goes to its node instead.
     */
    void hold(RemoteRoutes.Outbound message) {
        PeerSession sender = message.sender();
        PeerId recipient = message.recipient();
        if (!local.reserve(TRACKED_CHARGE)) {
            sender.sendError(SignalError.mailboxFull(recipient.value(), "this node's mailbox is full"));
            return;
        }
        Tracked tracked = new Tracked(sender, recipient, System.nanoTime() + ttlNanos);
        synchronized (this) {
            byAge.add(tracked);
            bySender.computeIfAbsent(sender, s -> new LinkedHashSet<>()).add(tracked);
            scheduleSweep(ttlNanos);
        }
        scripts.append(recipient, message.frame())
                .whenComplete((reply, failure) -> appended(tracked, message, reply, failure));
    }

    private void appended(Tracked tracked, RemoteRoutes.Outbound message, List<Object> reply, Throwable failure) {
        PeerSession sender = tracked.sender;
        String peer = tracked.recipient.value();
        long code = failure == null ? (Long) reply.get(0) : -2;
        if (code == 1) {
            long seq = (Long) reply.get(1);
            boolean gone;
            synchronized (this) {
                tracked.seq = seq;
                gone = tracked.done;
            }
            if (gone) {
                // Its sender left before Redis answered; forgetting it could not remove this one.
                scripts.remove(tracked.recipient, List.of(seq));
            } else if (sender.sendHeld(tracked.recipient) == DeliveryResult.CLOSED) {
                forget(sender);
            }
            return;
        }
        untrack(tracked);
        NodeId owner = code == 0 ? ClusterKeys.ownerOf((byte[]) reply.get(1)) : null;
        if (owner != null && !owner.equals(self)) {
            bus.send(owner, message);
        } else if (code == 0) {
            sender.sendError(SignalError.nobodyConnected(peer));
        } else if (code == -1) {
            sender.sendError(SignalError.mailboxFull(peer, "the peer's mailbox is full"));
        } else {
            sender.sendError(SignalError.clusterUnavailable(peer, "mailbox unreachable"));
        }
    }

    /** {@code sender} left: nothing is kept for it, here or in Redis. */
    void forget(PeerSession sender) {
        Map<PeerId, List<Long>> placed = new HashMap<>();
        int forgotten = 0;
        synchronized (this) {
            Set<Tracked> all = bySender.remove(sender);
            if (all == null) {
                return;
            }
            for (Tracked tracked : all) {
                tracked.done = true;
                byAge.remove(tracked);
                forgotten++;
                if (tracked.seq != 0) {
                    placed.computeIfAbsent(tracked.recipient, id -> new ArrayList<>()).add(tracked.seq);
                }
            }
        }
        local.unreserve((long) forgotten * TRACKED_CHARGE);
        placed.forEach(scripts::remove);
    }

    private void untrack(Tracked tracked) {
        synchronized (this) {
            if (tracked.done) {
                return;
            }
            tracked.done = true;
            byAge.remove(tracked);
            Set<Tracked> mine = bySender.get(tracked.sender);
            if (mine != null && mine.remove(tracked) && mine.isEmpty()) {
                bySender.remove(tracked.sender);
            }
        }
        local.unreserve(TRACKED_CHARGE);
    }

    /** Under the lock. */
    private void scheduleSweep(long delayNanos) {
        if (!sweepPending) {
            sweepPending = true;
            local.later(this::sweep, delayNanos);
        }
    }

    /** Removes what is past its TTL from Redis; each sender whose entry was still there gets {@code expired}. */
    private void sweep() {
        Map<PeerId, List<Tracked>> due = new HashMap<>();
        synchronized (this) {
            sweepPending = false;
            long now = System.nanoTime();
            Iterator<Tracked> oldest = byAge.iterator();
            while (oldest.hasNext()) {
                Tracked tracked = oldest.next();
                if (tracked.expiresAt - now > 0 || tracked.seq == 0) {
                    // Not yet due, or its append not yet answered (bounded by the command timeout).
                    scheduleSweep(Math.max(tracked.expiresAt - now, RETRY_NANOS));
                    break;
                }
                oldest.remove();
                tracked.done = true;
                Set<Tracked> mine = bySender.get(tracked.sender);
                if (mine != null && mine.remove(tracked) && mine.isEmpty()) {
                    bySender.remove(tracked.sender);
                }
                due.computeIfAbsent(tracked.recipient, id -> new ArrayList<>()).add(tracked);
            }
        }
        due.forEach((recipient, expired) -> {
            local.unreserve((long) expired.size() * TRACKED_CHARGE);
            scripts.remove(recipient, expired.stream().map(t -> t.seq).toList()).whenComplete((removed, failure) -> {
                for (int i = 0; i < expired.size(); i++) {
                    // Redis unreachable: the message cannot have been drained since, so say expired.
                    if (failure != null || (Long) removed.get(i) == 1) {
                        expired.get(i).sender.sendError(SignalError.expired(recipient.value()));
                    }
                }
            });
        });
    }

    /**
     * Takes what Redis holds for {@code id}, for the node that just won its claim: those messages go
     * first into the local mailbox, ahead of anything the bus brought here meanwhile. Completes
     * normally even when Redis fails (the entries then stay until their senders' nodes expire them).
     */
    CompletionStage<Void> drain(PeerId id) {
        return scripts.drain(id).handle((reply, failure) -> {
            if (failure != null) {
                log.warn("peer={} held messages not drained, left to expire: {}", id, failure.toString());
            } else if (!reply.isEmpty()) {
                drained(id, reply);
            }
            return null;
        });
    }

    private void drained(PeerId id, List<Object> reply) {
        long now = (Long) reply.get(0);
        List<PeerSession> senders = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            ClusterEnvelope envelope;
            try {
                envelope = ClusterEnvelope.decode((byte[]) reply.get(i + 1));
            } catch (IllegalArgumentException e) {
                log.warn("peer={} dropped a malformed held entry: {}", id, e.getMessage());
                continue;
            }
            RemoteSender sender = new RemoteSender(envelope.origin(), envelope.sender(), this);
            if (now - (Long) reply.get(i) >= ttlMillis) {
                // Its sender's node did not remove it in time (it is gone, or was late): expired, said once, here.
                sender.sendError(SignalError.expired(id.value()));
            } else {
                senders.add(sender);
                messages.add(envelope.payload().toByteArray());
            }
        }
        local.holdFirst(id, senders, messages);
    }

    /** A bus message for a socket still connecting here: held with it; false when the socket is gone. */
    boolean holdArrived(ClusterEnvelope envelope) {
        return local.offer(new RemoteSender(envelope.origin(), envelope.sender(), this), envelope.recipient(),
                envelope.payload(), false) != null;
    }

    /** Tells {@code sender} on {@code origin} about its message held on this node. */
    void notify(NodeId origin, PeerId sender, SignalError error) {
        bus.send(origin, new RemoteRoutes.Outbound(null, new PeerId(error.peer()),
                ClusterEnvelope.notice(self, new PeerId(error.peer()), sender, error)));
    }
}
