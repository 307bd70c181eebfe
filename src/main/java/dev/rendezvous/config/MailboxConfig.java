package dev.rendezvous.config;

import java.time.Duration;

/**
 * Messages held for an ID that nobody holds yet, delivered when it connects. Off (ttl 0) by
 * default, so the seed contract's {@code peer-unavailable} is unchanged.
 *
 * @param ttl          how long a message is held; 0: off
 * @param maxMessages  messages held per recipient
 * @param maxBytes     bytes held per recipient
 * @param totalBytes   bytes held on the node, all recipients together
 */
public record MailboxConfig(Duration ttl, int maxMessages, int maxBytes, long totalBytes) {

    public static final MailboxConfig OFF = new MailboxConfig(Duration.ZERO, 32, 256 * 1024, 64L * 1024 * 1024);

    public MailboxConfig {
        java.util.Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("mailbox ttl must be between 0s (off) and 10m, got " + ttl);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("mailbox max messages must be >= 1, got " + maxMessages);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("mailbox max bytes must be >= 1, got " + maxBytes);
        }
        if (totalBytes < maxBytes) {
            throw new IllegalArgumentException("mailbox total bytes (" + totalBytes
                    + ") must be at least mailbox max bytes (" + maxBytes + ")");
        }
    }

    public boolean enabled() {
        return !ttl.isZero();
    }
}
