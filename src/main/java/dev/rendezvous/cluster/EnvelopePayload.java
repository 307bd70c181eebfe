package dev.rendezvous.cluster;

import dev.rendezvous.signaling.Payload;
import java.util.Arrays;

/** The client's bytes at the end of a received envelope, without a copy until a session asks. */
record EnvelopePayload(byte[] frame, int offset) implements Payload {

    @Override
    public int length() {
        return frame.length - offset;
    }

    @Override
    public byte[] toByteArray() {
        return Arrays.copyOfRange(frame, offset, frame.length);
    }
}
