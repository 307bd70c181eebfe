package dev.rendezvous.cluster;

import dev.rendezvous.signaling.PeerSession;

/**
 * One ID this node holds in Redis: the session it is for and the token stored as the key's value.
 * The token is unique per claim, so a compare-and-delete by a session that has since lost the ID
 * cannot free it for its new owner, even one on the same node. Compared by identity.
 */
final class Lease {

    private final PeerSession session;
    private final byte[] key;
    private final byte[] token;

    Lease(PeerSession session, byte[] key, byte[] token) {
        this.session = session;
        this.key = key;
        this.token = token;
    }

    PeerSession session() {
        return session;
    }

    byte[] key() {
        return key;
    }

    byte[] token() {
        return token;
    }
}
