package dev.rendezvous.signaling;

/** The outcome of asking for an ID. */
public enum ClaimResult {
    CLAIMED,
    /**
     * Claimed by taking the ID from an older socket that presented the same session key, or because
     * a grant vouches for the newcomer; the older socket is closed with 4410.
     */
    REPLACED,
    /** Another open socket, on this node or another, holds the ID. */
    TAKEN,
    /** The ID directory cannot be reached, so uniqueness cannot be guaranteed. */
    UNAVAILABLE
}
