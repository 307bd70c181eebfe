package dev.rendezvous.cluster;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A node's name in the cluster. It names the node's pub/sub channel and prefixes every lease the
 * node takes, so it must be unique among running nodes; the default is random.
 */
public record NodeId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public NodeId {
        if (value == null || !VALID.matcher(value).matches()) {
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
