package dev.rendezvous.signaling;

import java.util.Optional;

/**
 * The name a socket is bound to. In the field these are DTLS certificate fingerprints
 * ({@code sha-256 AB:CD:...}, 64–95 characters), but any 1–256 bytes of UTF-8 without control
 * characters are accepted so that clients can choose their own scheme.
 */
public record PeerId(String value) {

    public static final int MAX_UTF8_BYTES = 256;

    public PeerId {
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The ID, or empty when {@code value} is not a valid ID. */
    public static Optional<PeerId> tryParse(String value) {
        return problemWith(value) == null ? Optional.of(new PeerId(value)) : Optional.empty();
    }

    /** Why {@code value} is not a valid ID, or null when it is one. */
    public static String problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return "empty id";
        }
        int utf8Bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return "id contains a control character";
            }
            if (c < 0x80) {
                utf8Bytes += 1;
            } else if (c < 0x800) {
                utf8Bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                utf8Bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return "id is not valid unicode";
            } else {
                utf8Bytes += 3;
            }
            if (utf8Bytes > MAX_UTF8_BYTES) {
                return "id longer than " + MAX_UTF8_BYTES + " bytes";
            }
        }
        return null;
    }

    // Written out rather than generated: a record's generated equals and hashCode are linked at
    // first use through method handles (ObjectMethods), a few dozen classes spun on the first
    // connection of a node's life, and run through that chain until the JIT has compiled them.
    @Override
    public boolean equals(Object other) {
        return other instanceof PeerId id && value.equals(id.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
