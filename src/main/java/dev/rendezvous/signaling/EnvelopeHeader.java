package dev.rendezvous.signaling;

/**
 * The only two fields of a client message the server reads: the top-level {@code to} and
 * {@code from}. Everything else in the message is opaque and is relayed byte for byte.
 *
 * @param to      the recipient's ID as written by the sender (not yet validated as a {@link PeerId})
 * @param hasFrom whether the message has a top-level {@code from} field at all
 * @param from    the {@code from} value when it is a string; null when absent or not a string
 */
public record EnvelopeHeader(String to, boolean hasFrom, String from) {

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
