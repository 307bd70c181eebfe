package dev.rendezvous.signaling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The single-node relay: an in-memory registry, delivery straight to the recipient's session.
 * With a mailbox, a message that finds nobody (or a socket still connecting or closing) is held
 * instead of refused; without one, the mailbox costs the hot path nothing (it is consulted only
 * where {@code peer-unavailable} would be sent).
 */
public final class LocalRelay implements Relay {

    private final PeerRegistry registry = new PeerRegistry();
    /** Null when the mailbox is off. */
    private final Mailbox mailbox;

    public LocalRelay() {
        this.mailbox = null;
    }

    /** A relay that holds messages for absent IDs within {@code limits}; off when their TTL is zero. */
    public LocalRelay(MailboxLimits limits) {
        this.mailbox = limits.enabled() ? new Mailbox(limits, registry::find) : null;
    }

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
        if (mailbox != null) {
            mailbox.forget(session);
        }
    }

    @Override
    public Forwarded forward(PeerSession sender, PeerId recipient, Payload payload) {
        PeerSession session = registry.find(recipient);
        if (session == null) {
            if (mailbox != null) {
                return mailbox.offer(sender, recipient, payload, true);
            }
            sender.sendError(SignalError.nobodyConnected(recipient.value()));
            return Forwarded.REFUSED;
        }
        DeliveryResult result = session.deliver(payload);
        if (result != DeliveryResult.QUEUED) {
            if (mailbox != null && result != DeliveryResult.OVERLOADED) {
                // Connecting, or closing (replaced with 4410, or a refresh): its successor gets it.
                return mailbox.offer(sender, recipient, payload, true);
            }
            sender.sendError(SignalError.peerUnavailable(recipient.value(), undeliverable(result)));
            return Forwarded.REFUSED;
        }
        return Forwarded.LOCAL;
    }

    @Override
    public void opened(PeerSession session) {
        if (mailbox != null) {
            mailbox.opened(session);
        }
    }

    @Override
    public Mailbox mailbox() {
        return mailbox;
    }

    @Override
    public void close() {
        if (mailbox != null) {
            mailbox.close();
        }
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
