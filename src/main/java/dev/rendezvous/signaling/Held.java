package dev.rendezvous.signaling;

/**
 * One message a {@link Mailbox} holds. It sits in three lists at once, each doubly linked so that
 * leaving any of them is O(1): its recipient's (delivery order), its sender's (dropped when the
 * sender leaves) and the node's (expiry order: every message gets the same TTL, so acceptance
 * order is expiry order and a sweep only ever looks at the oldest). Guarded by the mailbox's lock.
 */
final class Held {

    final PeerSession sender;
    final byte[] bytes;
    final long expiresAt;
    /** What this entry counts against the recipient's and the node's bounds. */
    final int charge;
    Box box;
    Held prevInBox;
    Held nextInBox;
    Held prevOfSender;
    Held nextOfSender;
    Held older;
    Held newer;

    Held(PeerSession sender, byte[] bytes, long expiresAt, int charge) {
        this.sender = sender;
        this.bytes = bytes;
        this.expiresAt = expiresAt;
        this.charge = charge;
    }

    /** The recipient; the box's own ID, so that entries do not keep copies of it alive. */
    PeerId recipient() {
        return box.id;
    }

    /** The messages held for one recipient, oldest first. */
    static final class Box {
        final PeerId id;
        final int charge;
        Held first;
        Held last;
        int count;
        long bytes;

        Box(PeerId id, int charge) {
            this.id = id;
            this.charge = charge;
        }
    }
}
