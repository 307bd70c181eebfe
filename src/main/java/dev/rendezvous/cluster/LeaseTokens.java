package dev.rendezvous.cluster;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes lease values {@code <node>/<incarnation>.<counter>}, with {@code #<key hash>} for a claim
 * that presented a session key. The random incarnation keeps tokens
 * unique across restarts of a node that keeps its configured ID, whose old leases may still live.
 */
final class LeaseTokens {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    LeaseTokens(NodeId node) {
        this.prefix = node.value() + "/" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
    }

    byte[] next() {
        return next(null);
    }

    /** A token that also carries the claim's session key hash, which a takeover compares in Redis. */
    byte[] next(String keyHashHex) {
        String token = prefix + Long.toHexString(counter.incrementAndGet());
        return ClusterKeys.utf8(keyHashHex == null ? token : token + "#" + keyHashHex);
    }
}
