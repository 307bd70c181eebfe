package dev.rendezvous.signaling;

import java.util.Optional;

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

    public void route(PeerSession sender, EnvelopeHeader header, Payload payload) {
        if (fromCheck == FromCheck.REJECT && !header.isConsistentWith(sender.id())) {
            sender.sendError(SignalError.of(ErrorCode.FROM_MISMATCH, "from is not your own id"));
            return;
        }
        Optional<PeerId> recipient = PeerId.tryParse(header.to());
        if (recipient.isEmpty()) {
            sender.sendError(SignalError.peerUnavailable(header.to(), "not a valid id"));
            return;
        }
        relay.forward(sender, recipient.get(), payload);
    }
}
