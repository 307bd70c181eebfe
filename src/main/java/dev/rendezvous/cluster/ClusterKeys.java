package dev.rendezvous.cluster;

import dev.rendezvous.signaling.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * The names the cluster uses in Redis. One key per claimed ID ({@code rdv:id:<id>}, value
 * {@code <node>/<lease token>}), one pub/sub channel per node ({@code rdv:node:<node>}), and with
 * the mailbox on one hash per absent ID with held messages ({@code rdv:mailbox:<id>}).
 */
final class ClusterKeys {

    static final String ID_PREFIX = "rdv:id:";
    static final String NODE_CHANNEL_PREFIX = "rdv:node:";
    static final String MAILBOX_PREFIX = "rdv:mailbox:";

    private ClusterKeys() {
    }

    static byte[] idKey(PeerId id) {
        return utf8(ID_PREFIX + id.value());
    }

    static byte[] mailboxKey(PeerId id) {
        return utf8(MAILBOX_PREFIX + id.value());
    }

    static byte[] nodeChannel(NodeId node) {
        return utf8(NODE_CHANNEL_PREFIX + node.value());
    }

    /** The node named in a lease value, which is {@code <node>/<token>}; null if it names none. */
    static NodeId ownerOf(byte[] leaseValue) {
        if (leaseValue == null) {
            return null;
        }
        String value = new String(leaseValue, StandardCharsets.UTF_8);
        int slash = value.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        try {
            return new NodeId(value.substring(0, slash));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
