package dev.rendezvous.cluster;

import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.Forwarded;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Mailbox;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.SignalError;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster relay: wraps the node's {@link LocalRelay} and adds what one node cannot do alone.
 * Local first: a claim is decided on the node before Redis is asked, and a message for a local ID
 * never leaves the node. Only claims (a lease in Redis) and messages for IDs held elsewhere (a
 * PUBLISH on the holder's node channel) go through Redis.
 *
 * <p>While Redis is unreachable: local sockets keep talking; a message for a non-local ID gets a
 * {@code cluster-unavailable} error frame; a new claim is refused (close 1013) because it cannot
 * be known to be unique — uniqueness over availability. The connections come back by themselves
 * and the {@link LeaseKeeper} re-asserts the node's leases.
 */
public final class RedisRelay implements Relay {

    private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);


    private final LocalRelay local;
    private final ClusterSettings settings;
    private final NodeId self;
    private final RedisLink link;
    private final IdDirectory directory;
    private final ClusterBus bus;
    private final RemoteRoutes routes;
    private final LeaseKeeper keeper;
    private final Takeovers takeovers;
    private final ClusterClaims claims;
    private final ClusterEvents events;
    private final NodeCensus census;
    private final ClusterInbound inbound;
    /** Null when the mailbox is off. */
    private final ClusterMailbox mailbox;
    private volatile boolean closed;

    private RedisRelay(LocalRelay local, ClusterSettings settings, ClusterEvents events,
            CommandLatencyRecorder latency) {
        this.local = local;
        this.settings = settings;
        this.self = settings.node();
        this.events = events;
        this.link = RedisLink.open(settings, latency);
        this.directory = new IdDirectory(link.commands(), settings.leaseTtl(), events);
        this.bus = new ClusterBus(link.commands(), new BusReturns(), events);
        this.census = new NodeCensus(link.commands(), System::nanoTime);
        this.mailbox = local.mailbox() == null ? null
                : new ClusterMailbox(link.commands(), local.mailbox(), self, bus::send);
        this.routes = new RemoteRoutes(directory::lookup, self, settings.routeCacheSize(), settings.leaseTtl(),
                System::nanoTime, new CrossNodeDispatch());
        this.takeovers = new Takeovers(self, new TakeoverSide(), settings.commandTimeout(),
                settings.leaseTtl().plus(settings.commandTimeout()), System::nanoTime);
        this.claims = new ClusterClaims(local, self, directory, takeovers, mailbox);
        this.inbound = new ClusterInbound(self, local, bus, routes, takeovers, mailbox, events);
        this.keeper = new LeaseKeeper(claims.leases(), directory, settings.renewInterval(), self, () -> {
            link.resubscribeIfLost();
            takeovers.purge();
        }, LeaseKeeper.CLOSE_WAIT);
    }

    public static RedisRelay connect(ClusterSettings settings, LocalRelay local) {
        return connect(settings, local, ClusterEvents.NONE, CommandLatencyRecorder.disabled());
    }

    /**
     * Connects to Redis (blocking: call at startup) and joins the cluster as {@code settings.node()},
     * reporting to {@code events} and timing every Redis command with {@code latency}.
     */
    public static RedisRelay connect(ClusterSettings settings, LocalRelay local, ClusterEvents events,
            CommandLatencyRecorder latency) {
        RedisRelay relay = new RedisRelay(local, settings, events, latency);
        try {
            relay.link.listen(ClusterKeys.nodeChannel(relay.self), (channel, frame) -> relay.inbound.onBusFrame(frame));
        } catch (RuntimeException e) {
            relay.link.close();
            throw e;
        }
        relay.keeper.start();
        relay.link.onConnected(relay.keeper::renewSoon);
        relay.link.onConnected(events::reconnected);
        log.info("cluster node={} redis={} lease-ttl={}", settings.node(), settings.redisAddress(),
                settings.leaseTtl());
        return relay;
    }

    public NodeId nodeId() {
        return self;
    }

    /** The IDs of the nodes listening on their channels now (this one included), sorted; asked at most every 5 s. */
    public CompletionStage<List<String>> nodesSeen() {
        return census.nodes();
    }

    @Override
    public CompletionStage<ClaimResult> claim(PeerSession session) {
        if (closed) {
            return CompletableFuture.completedFuture(ClaimResult.UNAVAILABLE);
        }
        return claims.claim(session);
    }

    @Override
    public void release(PeerSession session) {
        claims.release(session);
        if (mailbox != null) {
            mailbox.forget(session);
        }
    }

    @Override
    public Forwarded forward(PeerSession sender, PeerId recipient, Payload payload) {
        PeerSession here = local.find(recipient);
        if (here != null) {
            DeliveryResult result = here.deliver(payload);
            if (result == DeliveryResult.QUEUED) {
                return Forwarded.LOCAL;
            }
            Forwarded held = mailbox == null ? null : local.mailbox().offer(sender, recipient, payload, false);
            if (held != null) {
                return held;
            }
            if (mailbox == null || result != DeliveryResult.CLOSED) {
                sender.sendError(SignalError.peerUnavailable(recipient.value(), LocalRelay.undeliverable(result)));
                return Forwarded.REFUSED;
            }
            // Closing, and nobody took its place here: its successor may connect anywhere.
        }
        if (closed) {
            sender.sendError(SignalError.clusterUnavailable(recipient.value(), "this node is leaving the cluster"));
            return Forwarded.REFUSED;
        }
        byte[] frame = ClusterEnvelope.message(self, recipient, sender.id(), payload);
        NodeId moved = takeovers.movedTo(recipient);
        if (moved != null) {
            // Taken over from this node lately: a route cached before it held the ID may be stale.
            bus.send(moved, new RemoteRoutes.Outbound(sender, recipient, frame));
        } else {
            routes.send(new RemoteRoutes.Outbound(sender, recipient, frame));
        }
        return Forwarded.REMOTE;
    }

    @Override
    public void opened(PeerSession session) {
        local.opened(session);
    }

    @Override
    public Mailbox mailbox() {
        return local.mailbox();
    }

    @Override
    public int localSessionCount() {
        return local.localSessionCount();
    }

    @Override
    public boolean ready() {
        // Open connections are not enough: a hung Redis keeps them open. The last lease round
        // (every TTL/3, every 250 ms while failing) must have been answered too.
        return !closed && link.isConnected() && keeper.healthy();
    }

    /** Runs a lease renewal round now; for tests that cannot wait a third of the TTL. */
    CompletableFuture<Void> renewLeasesNow() {
        return keeper.renewNow();
    }

    int leaseCount() {
        return claims.leases().size();
    }

    /**
     * Frees every lease this node holds in a few scripts, waits for Redis to confirm (bounded),
     * then disconnects. Runs before the sockets are closed: a client that reconnects through the
     * load balancer the moment it reads "going away" must find its ID free on the next node.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keeper.close();
        List<Lease> held = claims.leave(settings.commandTimeout().toMillis());
        List<CompletableFuture<Long>> batches = new ArrayList<>();
        for (int from = 0; from < held.size(); from += IdDirectory.BATCH) {
            batches.add(directory.releaseAll(held.subList(from, Math.min(held.size(), from + IdDirectory.BATCH)))
                    .toCompletableFuture());
        }
        long freed = 0;
        try {
            CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
                    .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            for (CompletableFuture<Long> batch : batches) {
                freed += batch.join();
            }
            log.info("left the cluster: released {} of {} id leases", freed, held.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("left the cluster without releasing {} id leases (they expire within {}): {}",
                    held.size(), settings.leaseTtl(), e.toString());
        }
        link.close();
        local.close();
    }

    /** How a takeover reaches the replaced node, and how this node lets a replaced holder go. */
    private final class TakeoverSide implements Takeovers.Side {

        @Override
        public void send(NodeId node, RemoteRoutes.Outbound envelope) {
            bus.send(node, envelope);
        }

        @Override
        public boolean letGo(PeerId id, byte[] token) {
            return claims.letGo(id, token);
        }
    }

    /** Where cross-node messages go once their route is known, and the answers when it is not. */
    private final class CrossNodeDispatch implements RemoteRoutes.Dispatch {

        @Override
        public void publish(NodeId node, RemoteRoutes.Outbound message) {
            bus.send(node, message);
        }

        @Override
        public void unknown(RemoteRoutes.Outbound message) {
            if (mailbox != null) {
                mailbox.hold(message);
                return;
            }
            message.sender().sendError(
                    SignalError.nobodyConnected(message.recipient().value()));
        }

        @Override
        public void unreachable(RemoteRoutes.Outbound message, String why) {
            message.sender().sendError(SignalError.clusterUnavailable(message.recipient().value(), why));
        }
    }

    /** Envelopes the bus could not hand to their node. Miss notices have no sender and are dropped. */
    private final class BusReturns implements ClusterBus.Returns {

        @Override
        public void nodeGone(NodeId node, RemoteRoutes.Outbound message) {
            if (message.undelivered() != null) {
                message.undelivered().complete(null);
            }
            routes.invalidate(message.recipient(), node);
            if (message.sender() != null) {
                message.sender().sendError(
                        SignalError.nobodyConnected(message.recipient().value()));
            }
        }

        @Override
        public void unreachable(RemoteRoutes.Outbound message, String why) {
            if (message.undelivered() != null) {
                message.undelivered().complete(null);
            }
            if (message.sender() != null) {
                message.sender().sendError(SignalError.clusterUnavailable(message.recipient().value(), why));
            }
        }
    }
}
