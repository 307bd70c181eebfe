package dev.rendezvous.admission;

/** What {@link ConnectionGate#admit} decided for one upgrade request. */
public sealed interface GateVerdict {

    /**
     * The upgrade may go on; the socket holds one of the node's slots until it closes, when the
     * transport calls {@link ConnectionGate#release}.
     *
     * @param forwardedClient the client a trusted proxy named, or null when the TCP peer is the client
     */
    record Admitted(ClientAddress forwardedClient) implements GateVerdict {
        static final Admitted DIRECT = new Admitted(null);
    }

    /**
     * The upgrade is refused with an HTTP answer before anything else happens: a one-line text
     * body, the connection closed after it.
     *
     * @param retryAfterSeconds the {@code Retry-After} value, or 0 for none
     */
    record Refused(RefusalCause cause, int status, String body, long retryAfterSeconds) implements GateVerdict {
    }
}
