package dev.rendezvous.signaling;

import java.util.Set;

/**
 * The peers one socket may signal, as its grant's {@code peers} claim names them. Confined to the
 * socket's event loop: it remembers the last header it allowed, so a client writing an offer and a
 * dozen candidates to one peer (the header is then reused as is) costs one set lookup, not thirteen.
 */
public final class AllowedPeers {

    private final Set<PeerId> ids;
    private EnvelopeHeader lastAllowed;

    AllowedPeers(Set<PeerId> ids) {
        this.ids = ids;
    }

    /** Whether the message with {@code header} (whose recipient is a valid ID) may be forwarded. */
    boolean allows(EnvelopeHeader header) {
        if (header == lastAllowed) {
            return true;
        }
        if (ids.contains(header.recipient())) {
            lastAllowed = header;
            return true;
        }
        return false;
    }
}
