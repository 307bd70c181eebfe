package dev.rendezvous.cluster;

/**
 * What the cluster layer reports for the node's metrics. Called on event loops and Lettuce I/O
 * threads, so implementations must not block; every method does nothing unless overridden.
 */
public interface ClusterEvents {

    ClusterEvents NONE = new ClusterEvents() {
    };

    /** One PUBLISH was sent to another node's channel, carrying {@code envelopes} envelopes. */
    default void published(int envelopes) {
    }

    /** One bus frame arrived on this node's channel. */
    default void received() {
    }

    /** One message envelope for a local ID arrived from another node. */
    default void messageReceived() {
    }

    /** Another node reported that a message sent there found its recipient gone. */
    default void missReceived() {
    }

    /** A directory lookup ({@code GET rdv:id:<id>}) found a holder ({@code true}) or nobody. */
    default void lookedUp(boolean found) {
    }

    /** A directory lookup failed (Redis unreachable or too slow). */
    default void lookupFailed() {
    }

    /** A Redis connection (commands or pub/sub) was established again after it had been lost. */
    default void reconnected() {
    }
}
