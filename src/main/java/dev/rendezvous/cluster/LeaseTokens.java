package dev.rendezvous.cluster;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes lease values {@code <node>/<incarnation>.<counter>}. The random incarnation keeps tokens
 * unique across restarts of a node that keeps its configured ID, whose old leases may still live.
 */
final class LeaseTokens {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    LeaseTokens(NodeId node) {
        this.prefix = node.value() + "/" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".";
    }

    byte[] next() {
        return ClusterKeys.utf8(prefix + Long.toHexString(counter.incrementAndGet()));
    }
}
