package dev.rendezvous.signaling;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The sessions bound on this node, by ID: O(1) lookup, atomic claim and compare-and-release. */
public final class PeerRegistry {

    private final ConcurrentMap<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();

    /**
     * What became of a claim on this node.
     *
     * @param displaced the older session the claim took the ID from ({@link ClaimResult#REPLACED}); else null
     */
    public record Binding(ClaimResult result, PeerSession displaced) {
        static final Binding CLAIMED = new Binding(ClaimResult.CLAIMED, null);
        static final Binding TAKEN = new Binding(ClaimResult.TAKEN, null);
    }

    /** True when {@code session} now holds its ID; false when another session already did. */
    public boolean claim(PeerSession session) {
        return bind(session).result() != ClaimResult.TAKEN;
    }

    /**
     * Binds {@code session} to its ID when the ID is free, or when its claim may replace the
     * holder's ({@link Claim#mayReplace}); atomic either way. The caller closes a displaced holder.
     */
    public Binding bind(PeerSession session) {
        Claim claim = session.claim();
        while (true) {
            PeerSession holder = sessions.putIfAbsent(session.id(), session);
            if (holder == null) {
                return Binding.CLAIMED;
            }
            if (holder == session || !claim.mayReplace(holder.claim())) {
                return Binding.TAKEN;
            }
            if (sessions.replace(session.id(), holder, session)) {
                return new Binding(ClaimResult.REPLACED, holder);
            }
            // The holder left or was replaced meanwhile: decide again against whoever holds it now.
        }
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
