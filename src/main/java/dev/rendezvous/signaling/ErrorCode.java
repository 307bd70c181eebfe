package dev.rendezvous.signaling;

/**
 * Errors the server reports to a sender in an error frame. The socket stays open after every one
 * of them: they describe one message, not the connection.
 */
public enum ErrorCode {
    /** The message is not JSON, not a JSON object, or names {@code to}/{@code from} twice. */
    BAD_JSON("bad-json"),
    /** The object has no top-level string {@code to}. */
    MISSING_TO("missing-to"),
    /** The top-level {@code from} is not the sender's own ID. */
    FROM_MISMATCH("from-mismatch"),
    /** Nobody holds the ID in {@code to} (or it is not a valid ID), or its holder just went away. */
    PEER_UNAVAILABLE("peer-unavailable"),
    /**
     * Cluster mode: {@code to} is not on this node and the other nodes cannot be reached because
     * Redis is down. Retrying later can help; the frame carries {@code "peer"}.
     */
    CLUSTER_UNAVAILABLE("cluster-unavailable"),
    /** The sender's grant names the peers it may signal ({@code peers} claim) and {@code to} is not one. */
    NOT_ALLOWED("not-allowed"),
    /** The sender is over its message rate ({@code --message-rate}); the message was not forwarded. */
    RATE_LIMITED("rate-limited"),
    /** Mailbox: a message held for an ID that did not connect within {@code --mailbox-ttl}. */
    EXPIRED("expired"),
    /** Mailbox: the recipient's or the node's mailbox bound is reached; the message was not held. */
    MAILBOX_FULL("mailbox-full");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
