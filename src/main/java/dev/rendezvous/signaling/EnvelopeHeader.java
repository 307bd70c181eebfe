package dev.rendezvous.signaling;

/**
 * The only two fields of a client message the server reads: the top-level {@code to} and
 * {@code from}. Everything else in the message is opaque and is relayed byte for byte.
 *
 * <p>Headers are immutable, so a connection may reuse the one it read last while its client keeps
 * writing to the same peer (an offer and a dozen candidates): the recipient is then validated once
 * per peer, not once per message.
 *
 * @param to        the recipient's ID as written by the sender
 * @param recipient {@code to} as a valid {@link PeerId}, or null when it is not one
 * @param hasFrom   whether the message has a top-level {@code from} field at all
 * @param from      the {@code from} value when it is a string; null when absent or not a string
 */
public record EnvelopeHeader(String to, PeerId recipient, boolean hasFrom, String from) {

    public EnvelopeHeader {
        if (recipient != null && !recipient.value().equals(to)) {
            throw new IllegalArgumentException("recipient does not match to");
        }
    }

    /** A header whose recipient is {@code to} when that is a valid ID. */
    public EnvelopeHeader(String to, boolean hasFrom, String from) {
        this(to, PeerId.tryParse(to).orElse(null), hasFrom, from);
    }

    public static EnvelopeHeader withoutFrom(String to) {
        return new EnvelopeHeader(to, false, null);
    }

    public static EnvelopeHeader from(String from, String to) {
        return new EnvelopeHeader(to, true, from);
    }

    /** True when the message names no sender, or names exactly {@code sender}. */
    public boolean isConsistentWith(PeerId sender) {
        return !hasFrom || sender.value().equals(from);
    }
}
