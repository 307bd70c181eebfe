package dev.rendezvous.signaling;

/**
 * Applies the relay rules to one parsed client message: anti-spoofing first, then addressing, then
 * the peers the sender's grant allows, then hands it to the {@link Relay}.
 */
public final class Router {

    private final Relay relay;
    private final FromCheck fromCheck;

    public Router(Relay relay, FromCheck fromCheck) {
        this.relay = relay;
        this.fromCheck = fromCheck;
    }

    public Forwarded route(PeerSession sender, EnvelopeHeader header, Payload payload) {
        return route(sender, null, header, payload);
    }

    /**
     * Routes a message from a sender whose grant may name the only peers it may signal
     * ({@code allowed}; null when it may signal any, which costs this one branch).
     */
    public Forwarded route(PeerSession sender, AllowedPeers allowed, EnvelopeHeader header, Payload payload) {
        if (fromCheck == FromCheck.REJECT && !header.isConsistentWith(sender.id())) {
            sender.sendError(SignalError.of(ErrorCode.FROM_MISMATCH, "from is not your own id"));
            return Forwarded.REFUSED;
        }
        PeerId recipient = header.recipient();
        if (recipient == null) {
            sender.sendError(SignalError.peerUnavailable(abbreviate(header.to()), "not a valid id"));
            return Forwarded.REFUSED;
        }
        if (allowed != null && !allowed.allows(header)) {
            sender.sendError(SignalError.notAllowed(recipient.value()));
            return Forwarded.REFUSED;
        }
        return relay.forward(sender, recipient, payload);
    }

    /** An invalid {@code to} may be as long as a whole message; echo only as much as an ID can be. */
    private static String abbreviate(String to) {
        return to.length() <= PeerId.MAX_UTF8_BYTES ? to : to.substring(0, PeerId.MAX_UTF8_BYTES) + "\u2026";
    }
}
