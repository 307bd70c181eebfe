package dev.rendezvous.signaling;

/** What became of one message handed to a {@link PeerSession}; a send never blocks. */
public enum DeliveryResult {
    /** Queued for the socket. */
    QUEUED,
    /** The ID is bound but the socket's upgrade has not finished, so it cannot take messages yet. */
    CONNECTING,
    /** The socket's outbound bound was reached; the session closes itself as too slow. */
    OVERLOADED,
    /** The socket is closing or closed. */
    CLOSED
}
