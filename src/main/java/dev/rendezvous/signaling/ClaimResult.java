package dev.rendezvous.signaling;

/** The outcome of asking for an ID. */
public enum ClaimResult {
    CLAIMED,
    /** Another open socket, on this node or another, holds the ID. */
    TAKEN,
    /** The ID directory cannot be reached, so uniqueness cannot be guaranteed. */
    UNAVAILABLE
}
