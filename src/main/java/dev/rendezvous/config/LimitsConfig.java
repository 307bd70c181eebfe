package dev.rendezvous.config;

/**
 * Abuse limits. The defaults change nothing a well-behaved client or the benchmarks do: only
 * {@code maxConnections} is on by default (just below the open-file limit, so the node refuses
 * cleanly instead of failing {@code accept}); the rest are off (0) until set. The README's
 * Security section gives the values recommended for a public node.
 *
 * @param maxConnections       sockets on the node, counted from the upgrade's admission until the
 *                             connection closes; 0: the open-file limit minus a reserve, read at start
 * @param maxConnectionsPerIp  sockets from one client address (an IPv6 /64 counts as one); 0: no limit
 * @param handshakeRate        WebSocket upgrades per second from one client address (token bucket); 0: no limit
 * @param handshakeBurst       the bucket's size; 0 with a rate: the rate (one second's worth)
 * @param messageRate          messages per second from one socket (token bucket); 0: no limit
 * @param messageBurst         the bucket's size; 0 with a rate: four seconds' worth
 */
public record LimitsConfig(
        int maxConnections,
        int maxConnectionsPerIp,
        double handshakeRate,
        int handshakeBurst,
        double messageRate,
        int messageBurst) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(0, 0, 0, 0, 0, 0);

    public LimitsConfig {
        nonNegative("max connections", maxConnections);
        nonNegative("max connections per ip", maxConnectionsPerIp);
        nonNegative("handshake burst", handshakeBurst);
        nonNegative("message burst", messageBurst);
        if (!(handshakeRate >= 0) || Double.isInfinite(handshakeRate)) {
            throw new IllegalArgumentException("handshake rate must be >= 0, got " + handshakeRate);
        }
        if (!(messageRate >= 0) || Double.isInfinite(messageRate)) {
            throw new IllegalArgumentException("message rate must be >= 0, got " + messageRate);
        }
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /** The handshake bucket's size in effect. */
    public int effectiveHandshakeBurst() {
        return handshakeBurst > 0 ? handshakeBurst : (int) Math.max(1, Math.ceil(handshakeRate));
    }

    /** The message bucket's size in effect. */
    public int effectiveMessageBurst() {
        return messageBurst > 0 ? messageBurst : (int) Math.max(1, Math.ceil(messageRate * 4));
    }
}
