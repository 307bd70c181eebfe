package dev.rendezvous.signaling;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The sessions bound on this node, by ID: O(1) lookup, atomic claim and compare-and-release. */
public final class PeerRegistry {

    private final ConcurrentMap<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();

    /** True when {@code session} now holds its ID; false when another session already did. */
    public boolean claim(PeerSession session) {
        return sessions.putIfAbsent(session.id(), session) == null;
    }

    /** Releases the ID only if {@code session} is the one holding it. */
    public boolean release(PeerSession session) {
        return sessions.remove(session.id(), session);
    }

    public PeerSession find(PeerId id) {
        return sessions.get(id);
    }

    public int size() {
        return sessions.size();
    }
}
