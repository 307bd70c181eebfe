package dev.rendezvous.signaling;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * What admission decided a socket may hold, and all the core learns of its grant and session key:
 * the ID, a hash of the session key (never the key), the only peers it may signal, and whether a
 * verified grant vouches for it. Immutable.
 */
public final class Claim {

    private final PeerId id;
    private final byte[] keyHash;
    private final Set<PeerId> peers;
    private final boolean vouched;

    private Claim(PeerId id, byte[] keyHash, Set<PeerId> peers, boolean vouched) {
        this.id = id;
        this.keyHash = keyHash == null ? null : keyHash.clone();
        this.peers = peers == null ? null : Set.copyOf(peers);
        this.vouched = vouched;
    }

    /** A claim with no session key and no grant, as every socket makes when nothing more is configured. */
    public static Claim plain(PeerId id) {
        return new Claim(id, null, null, false);
    }

    /**
     * @param keyHash the SHA-256 of the session key, or null when the socket presented none
     * @param peers   the only IDs the socket may signal, or null for any
     * @param vouched whether a verified grant names this ID
     */
    public static Claim of(PeerId id, byte[] keyHash, Set<PeerId> peers, boolean vouched) {
        return new Claim(id, keyHash, peers, vouched);
    }

    public PeerId id() {
        return id;
    }

    public boolean hasKey() {
        return keyHash != null;
    }

    /** The session key's hash in hex, for a directory shared with other nodes; null without a key. */
    public String keyHashHex() {
        return keyHash == null ? null : HexFormat.of().formatHex(keyHash);
    }

    public boolean vouched() {
        return vouched;
    }

    /** The only IDs this socket may signal, or null when it may signal any. */
    public Set<PeerId> peers() {
        return peers;
    }

    /** Whether this claim may only signal the peers its grant names, and which; null when it may signal any. */
    public AllowedPeers allowedPeers() {
        return peers == null ? null : new AllowedPeers(peers);
    }

    /**
     * Whether this newer claim takes the ID from {@code holder}: a grant vouches for it (the backend
     * says so: newest wins), or both presented the same session key. Compared in constant time.
     */
    public boolean mayReplace(Claim holder) {
        return vouched || keyHash != null && holder.keyHash != null && MessageDigest.isEqual(keyHash, holder.keyHash);
    }

    @Override
    public String toString() {
        return "Claim[" + id + (keyHash != null ? " keyed" : "") + (vouched ? " vouched" : "")
                + (peers != null ? " peers=" + peers.size() : "") + "]";
    }
}
