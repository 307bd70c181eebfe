package dev.rendezvous.signaling;

/**
 * One open socket bound to an ID: the port a transport implements. Every method may be called
 * from any thread and must return at once.
 */
public interface PeerSession {

    PeerId id();

    /** What admission decided this socket may hold; a plain claim of its ID when nothing was presented. */
    default Claim claim() {
        return Claim.plain(id());
    }

    /** Queues a client message for this socket, retaining or copying {@code payload} as needed. */
    DeliveryResult deliver(Payload payload);

    /** Queues an error frame addressed to this socket. */
    DeliveryResult sendError(SignalError error);

    /**
     * Tells this socket that its message for {@code recipient} is held until that ID connects (the
     * mailbox); {@link DeliveryResult#CLOSED} when this socket is closing.
     */
    DeliveryResult sendHeld(PeerId recipient);

    /** Closes the socket with the given reason; later deliveries return {@link DeliveryResult#CLOSED}. */
    void close(CloseReason reason);
}
