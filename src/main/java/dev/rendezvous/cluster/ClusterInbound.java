package dev.rendezvous.cluster;

import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.SignalError;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on this node's channel: messages for its sockets, misses and notices for its
 * senders, takeover steps. Called on a Lettuce I/O thread for each frame, in arrival order.
 */
final class ClusterInbound {

    private static final Logger log = LoggerFactory.getLogger(ClusterInbound.class);

    private final NodeId self;
    private final LocalRelay local;
    private final ClusterBus bus;
    private final RemoteRoutes routes;
    private final Takeovers takeovers;
    /** Null when the mailbox is off. */
    private final ClusterMailbox mailbox;
    private final ClusterEvents events;

    ClusterInbound(NodeId self, LocalRelay local, ClusterBus bus, RemoteRoutes routes, Takeovers takeovers,
            ClusterMailbox mailbox, ClusterEvents events) {
        this.self = self;
        this.local = local;
        this.bus = bus;
        this.routes = routes;
        this.takeovers = takeovers;
        this.mailbox = mailbox;
        this.events = events;
    }

    void onBusFrame(byte[] frame) {
        events.received();
        try {
            BusFrame.decode(frame, this::onEnvelope);
        } catch (IllegalArgumentException e) {
            log.warn("dropped a malformed cluster frame ({} bytes): {}", frame.length, e.getMessage());
        }
    }

    private void onEnvelope(ClusterEnvelope envelope) {
        switch (envelope.kind()) {
            case MESSAGE -> deliverFromCluster(envelope);
            case MISS -> missReported(envelope);
            case TAKEOVER -> takeovers.takeoverReported(envelope);
            case TAKEOVER_DONE -> takeovers.takeoverDone(envelope);
            case NOTICE -> noticeReported(envelope);
        }
    }

    private void deliverFromCluster(ClusterEnvelope envelope) {
        events.messageReceived();
        PeerSession recipient = local.find(envelope.recipient());
        NodeId moved = recipient == null ? takeovers.movedTo(envelope.recipient()) : null;
        if (moved != null && !moved.equals(self)) {
            // Sent along a route cached before the takeover: on to the newcomer's node, origin kept
            // so that a miss there still reaches the sender.
            bus.send(moved, new RemoteRoutes.Outbound(null, envelope.recipient(), ClusterEnvelope.message(
                    envelope.origin(), envelope.recipient(), envelope.sender(), envelope.payload())));
            return;
        }
        DeliveryResult result = recipient == null ? null : recipient.deliver(envelope.payload());
        if (result == DeliveryResult.CONNECTING && mailbox != null && mailbox.holdArrived(envelope)) {
            return;
        }
        if (result != DeliveryResult.QUEUED) {
            String detail = result == null ? SignalError.NOBODY : LocalRelay.undeliverable(result);
            byte[] miss = ClusterEnvelope.miss(self, envelope.recipient(), envelope.sender(), detail);
            bus.send(envelope.origin(), new RemoteRoutes.Outbound(null, envelope.recipient(), miss));
        }
    }

    private void noticeReported(ClusterEnvelope envelope) {
        PeerSession sender = local.find(envelope.sender());
        SignalError error = envelope.noticeError();
        if (sender != null && error != null) {
            sender.sendError(error);
        }
    }

    private void missReported(ClusterEnvelope envelope) {
        events.missReceived();
        routes.invalidate(envelope.recipient(), envelope.origin());
        PeerSession sender = local.find(envelope.sender());
        if (sender != null) {
            String detail = new String(envelope.payload().toByteArray(), StandardCharsets.UTF_8);
            String peer = envelope.recipient().value();
            sender.sendError(SignalError.peerUnavailable(peer, detail.isEmpty() ? SignalError.NOBODY : detail));
        }
    }
}
