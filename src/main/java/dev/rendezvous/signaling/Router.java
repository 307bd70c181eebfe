package dev.rendezvous.signaling;

/**
 * Applies the relay rules to one parsed client message: anti-spoofing first, then addressing,
 * then hands it to the {@link Relay}.
 */
public final class Router {

    private final Relay relay;
    private final FromCheck fromCheck;

    public Router(Relay relay, FromCheck fromCheck) {
        this.relay = relay;
        this.fromCheck = fromCheck;
    }

    public Forwarded route(PeerSession sender, EnvelopeHeader header, Payload payload) {
        if (fromCheck == FromCheck.REJECT && !header.isConsistentWith(sender.id())) {
            sender.sendError(SignalError.of(ErrorCode.FROM_MISMATCH, "from is not your own id"));
            return Forwarded.REFUSED;
        }
        PeerId recipient = header.recipient();
        if (recipient == null) {
            sender.sendError(SignalError.peerUnavailable(abbreviate(header.to()), "not a valid id"));
            return Forwarded.REFUSED;
        }
        return relay.forward(sender, recipient, payload);
    }

    /** An invalid {@code to} may be as long as a whole message; echo only as much as an ID can be. */
    private static String abbreviate(String to) {
        return to.length() <= PeerId.MAX_UTF8_BYTES ? to : to.substring(0, PeerId.MAX_UTF8_BYTES) + "\u2026";
    }
}
