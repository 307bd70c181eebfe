package dev.rendezvous.signaling;

/** What to do with a message whose top-level {@code from} is not the sender's ID. */
public enum FromCheck {
    /** Drop it and send the sender a {@code from-mismatch} error. */
    REJECT,
    /** Forward it anyway (for deployments where a proxy rewrites IDs). */
    OFF
}
