package dev.rendezvous.signaling;

import java.util.concurrent.CompletionStage;

/**
 * Binds sessions to IDs and carries messages to them. {@link LocalRelay} is the single-node
 * implementation; a cluster relay wraps it, so one node and many run the same code path.
 */
public interface Relay extends AutoCloseable {

    /** Binds {@code session} to its ID unless another open socket holds it. Atomic. */
    CompletionStage<ClaimResult> claim(PeerSession session);

    /** Unbinds {@code session}; does nothing when the ID is bound to another session. */
    void release(PeerSession session);

    /**
     * Hands {@code payload} to the session bound to {@code recipient}, or tells {@code sender} why
     * not. Never blocks; {@code payload} stays owned by the caller.
     */
    Forwarded forward(PeerSession sender, PeerId recipient, Payload payload);

    /**
     * {@code session}'s socket takes messages now (its upgrade is done): what the mailbox held for
     * its ID is written first. Called on the socket's event loop, in the task that marked it open.
     */
    default void opened(PeerSession session) {
    }

    /** The mailbox of this node, or null when it is off ({@code --mailbox-ttl 0s}). */
    default Mailbox mailbox() {
        return null;
    }

    /** Number of sessions bound on this node. */
    int localSessionCount();

    /**
     * Whether this node can serve new claims and reach every peer. A single node always can; a
     * cluster node cannot while its directory (Redis) is unreachable.
     */
    default boolean ready() {
        return true;
    }

    /**
     * Gives up this node's hold on its IDs everywhere else and frees what the relay owns. Called
     * when the node stops, before its sockets are closed, so that a client reconnecting through a
     * load balancer finds its ID free. Sessions still open keep working among themselves.
     */
    @Override
    default void close() {
    }
}
