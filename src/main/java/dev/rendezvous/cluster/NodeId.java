package dev.rendezvous.cluster;

import dev.rendezvous.config.ServerConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's name in the cluster. It names the node's pub/sub channel and prefixes every lease the
 * node takes, so it must be unique among running nodes; the default is random.
 */
public record NodeId(String value) {

    public NodeId {
        if (value == null || !ServerConfig.NODE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "node id must be 1-64 characters of letters, digits, '.', '_', ':' or '-', got: " + value);
        }
    }

    /** {@code configured}, or a fresh random ID when it is null. */
    public static NodeId orRandom(String configured) {
        return configured == null ? random() : new NodeId(configured);
    }

    public static NodeId random() {
        return new NodeId(String.format("node-%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL));
    }

    @Override
    public String toString() {
        return value;
    }
}
