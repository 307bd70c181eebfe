package dev.rendezvous.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a node's mailbox: how long a message is held for an ID nobody holds, how much is
 * held per recipient, and how much on the node in all. The composition root makes it from
 * {@code --mailbox-*}; the core cannot see the configuration records.
 *
 * @param ttl         how long a message is held; zero turns the mailbox off
 * @param maxMessages messages held per recipient
 * @param maxBytes    bytes held per recipient, each message counted with its bookkeeping
 * @param totalBytes  bytes the node keeps for all held messages together, bookkeeping included
 */
public record MailboxLimits(Duration ttl, int maxMessages, long maxBytes, long totalBytes) {

    public MailboxLimits {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || maxMessages < 1 || maxBytes < 1 || totalBytes < maxBytes) {
            throw new IllegalArgumentException("bad mailbox limits " + ttl + " " + maxMessages + " " + maxBytes
                    + " " + totalBytes);
        }
    }

    public boolean enabled() {
        return !ttl.isZero();
    }
}
