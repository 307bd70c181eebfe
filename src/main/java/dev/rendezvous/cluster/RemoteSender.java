package dev.rendezvous.cluster;

import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.SignalError;

/**
 * The sender of a message held on this node's mailbox that came from another node (drained from
 * Redis, or sent over the bus while its recipient was still connecting here): what the mailbox
 * tells it ({@code expired}, {@code mailbox-full}) travels back to its node as a notice envelope.
 * Equal by node and ID, so the mailbox counts one sender per remote socket ID.
 */
record RemoteSender(NodeId origin, PeerId id, ClusterMailbox mailbox) implements PeerSession {

    @Override
    public DeliveryResult deliver(Payload payload) {
        return DeliveryResult.CLOSED;
    }

    @Override
    public DeliveryResult sendError(SignalError error) {
        mailbox.notify(origin, id, error);
        return DeliveryResult.QUEUED;
    }

    /** The sender's node already said {@code held} when it placed the message in Redis; a hold here needs no second notice. */
    @Override
    public DeliveryResult sendHeld(PeerId recipient) {
        return DeliveryResult.QUEUED;
    }

    @Override
    public void close(CloseReason reason) {
    }
}
