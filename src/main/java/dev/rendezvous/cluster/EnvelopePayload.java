package dev.rendezvous.cluster;

import dev.rendezvous.signaling.Payload;
import java.util.Arrays;

/** The client's bytes inside a received bus frame, {@code frame[from, to)}, not copied until a session asks. */
record EnvelopePayload(byte[] frame, int from, int to) implements Payload {

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public byte[] toByteArray() {
        return Arrays.copyOfRange(frame, from, to);
    }
}
