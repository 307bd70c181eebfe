package dev.rendezvous.signaling;

/**
 * One error frame's content, before encoding.
 *
 * @param peer the ID the failed message was addressed to, for {@link ErrorCode#PEER_UNAVAILABLE},
 *             {@link ErrorCode#CLUSTER_UNAVAILABLE}, {@link ErrorCode#NOT_ALLOWED},
 *             {@link ErrorCode#EXPIRED} and {@link ErrorCode#MAILBOX_FULL}; else null
 */
public record SignalError(ErrorCode code, String detail, String peer) {

    public static SignalError of(ErrorCode code, String detail) {
        return new SignalError(code, detail, null);
    }

    /** The detail of {@code peer-unavailable} when nobody holds the ID, on one node or in a cluster. */
    public static final String NOBODY = "nobody is connected as that id";

    public static SignalError nobodyConnected(String peer) {
        return peerUnavailable(peer, NOBODY);
    }

    public static SignalError peerUnavailable(String peer, String detail) {
        return new SignalError(ErrorCode.PEER_UNAVAILABLE, detail, peer);
    }

    public static SignalError notAllowed(String peer) {
        return new SignalError(ErrorCode.NOT_ALLOWED, "your grant does not allow signaling that id", peer);
    }

    public static SignalError clusterUnavailable(String peer, String detail) {
        return new SignalError(ErrorCode.CLUSTER_UNAVAILABLE, detail, peer);
    }

    /** A held message for {@code peer} was not delivered within the mailbox's TTL. */
    public static SignalError expired(String peer) {
        return new SignalError(ErrorCode.EXPIRED, "peer did not connect in time; the message was dropped", peer);
    }

    public static SignalError mailboxFull(String peer, String detail) {
        return new SignalError(ErrorCode.MAILBOX_FULL, detail, peer);
    }
}
