package dev.rendezvous.signaling;

/**
 * What became of one client message, as the edge that counts it sees it. Errors the sender gets
 * later (a cross-node message whose recipient turned out to be gone) are error frames, counted
 * where they are sent.
 */
public enum Forwarded {
    /** Written to a socket on this node. */
    LOCAL,
    /** Handed to the cluster bus for the node that holds the recipient (or to a lookup of it). */
    REMOTE,
    /** Kept in the recipient's mailbox until it connects. */
    HELD,
    /** Not forwarded: the sender got an error frame. */
    REFUSED
}
