package dev.rendezvous.admission;

import dev.rendezvous.signaling.PeerId;
import java.util.Set;

/**
 * What a grant check decided. {@code why} is for the log line: it names the cause (Nimbus's
 * message, "nbf in the future", …) and never contains the token.
 *
 * @param peers the grant's {@code peers} claim, or null when it has none (any peer)
 */
record Verdict(Kind kind, Set<PeerId> peers, String why) {

    enum Kind {
        ADMITTED,
        MISSING,
        INVALID,
        EXPIRED,
        FOR_ANOTHER_ID,
        /** The keys to check it with cannot be had now (JWKS provider never answered, queue full). */
        UNAVAILABLE
    }

    static Verdict admitted(Set<PeerId> peers) {
        return new Verdict(Kind.ADMITTED, peers, null);
    }

    static Verdict refused(Kind kind, String why) {
        return new Verdict(kind, null, why);
    }
}
