package dev.rendezvous.signaling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The single-node relay: an in-memory registry, delivery straight to the recipient's session. */
public final class LocalRelay implements Relay {

    private final PeerRegistry registry = new PeerRegistry();

    @Override
    public CompletionStage<ClaimResult> claim(PeerSession session) {
        PeerRegistry.Binding binding = claimNow(session);
        if (binding.displaced() != null) {
            // After the swap: from here on every message for the ID finds the newcomer.
            binding.displaced().close(CloseReason.REPLACED);
        }
        return CompletableFuture.completedFuture(binding.result());
    }

    /**
     * The synchronous claim that a cluster relay builds on. A displaced holder is not closed here:
     * the caller first takes back what it holds for it elsewhere, then closes it with 4410.
     */
    public PeerRegistry.Binding claimNow(PeerSession session) {
        return registry.bind(session);
    }

    @Override
    public void release(PeerSession session) {
        registry.release(session);
    }

    @Override
    public Forwarded forward(PeerSession sender, PeerId recipient, Payload payload) {
        PeerSession session = registry.find(recipient);
        if (session == null) {
            sender.sendError(SignalError.peerUnavailable(recipient.value(), "nobody is connected as that id"));
            return Forwarded.REFUSED;
        }
        DeliveryResult result = session.deliver(payload);
        if (result != DeliveryResult.QUEUED) {
            sender.sendError(SignalError.peerUnavailable(recipient.value(), undeliverable(result)));
            return Forwarded.REFUSED;
        }
        return Forwarded.LOCAL;
    }

    /** The error detail for a recipient that exists but cannot take the message. */
    public static String undeliverable(DeliveryResult result) {
        return switch (result) {
            case OVERLOADED -> "peer was too slow to read and has been disconnected";
            case CONNECTING -> "peer is still connecting";
            default -> "peer is disconnecting";
        };
    }

    public PeerSession find(PeerId id) {
        return registry.find(id);
    }

    public boolean holds(PeerId id) {
        return registry.find(id) != null;
    }

    @Override
    public int localSessionCount() {
        return registry.size();
    }
}
