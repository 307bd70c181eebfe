package dev.rendezvous.cluster;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * One PUBLISH carries several envelopes for the same node, each prefixed with its length
 * ({@code length:u32 envelope}…). Under load this turns thousands of Redis commands per second
 * into a few hundred; a lone message travels alone, with four bytes of overhead.
 */
final class BusFrame {

    private BusFrame() {
    }

    static byte[] encode(List<byte[]> envelopes) {
        int size = 0;
        for (byte[] envelope : envelopes) {
            size += 4 + envelope.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] envelope : envelopes) {
            out.putInt(envelope.length);
            out.put(envelope);
        }
        return out.array();
    }

    /** Hands each envelope to {@code sink} in order; throws IllegalArgumentException on a malformed frame. */
    static void decode(byte[] frame, Consumer<ClusterEnvelope> sink) {
        int at = 0;
        while (at < frame.length) {
            if (frame.length - at < 4) {
                throw new IllegalArgumentException("truncated bus frame");
            }
            int length = ByteBuffer.wrap(frame, at, 4).getInt();
            if (length < 0 || length > frame.length - at - 4) {
                throw new IllegalArgumentException("bad envelope length " + length);
            }
            sink.accept(ClusterEnvelope.decode(frame, at + 4, length));
            at += 4 + length;
        }
    }
}
