package dev.rendezvous.cluster;

import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.SignalError;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What one node publishes on another node's channel. Binary, so that the client's bytes travel
 * untouched after a small header:
 *
 * <pre>
 *   kind:u8  origin:str  recipient:str  sender:str  payload:rest      (str = length:u16 + UTF-8)
 * </pre>
 *
 * A {@link Kind#MESSAGE} carries a client message for {@code recipient}. A {@link Kind#MISS} goes
 * back to the origin node when the recipient was not there after all (its payload says why), so
 * that the origin can tell {@code sender} and forget its cached route. A {@link Kind#TAKEOVER} tells
 * the node of a replaced holder that {@code recipient} now belongs to a newer socket on the origin
 * (payload: the replaced token, a newline, the new token; {@code sender} is the ID too); the node
 * answers {@link Kind#TAKEOVER_DONE} (payload: the new token) once its socket no longer takes messages.
 * A {@link Kind#NOTICE} tells {@code sender} on the origin node about its message for
 * {@code recipient} that the mailbox held elsewhere (payload: the error code, a newline, the detail).
 */
record ClusterEnvelope(Kind kind, NodeId origin, PeerId recipient, PeerId sender, byte[] frame, int payloadFrom,
        int payloadTo) {

    enum Kind {
        MESSAGE(1),
        MISS(2),
        TAKEOVER(3),
        TAKEOVER_DONE(4),
        NOTICE(5);

        final byte tag;

        Kind(int tag) {
            this.tag = (byte) tag;
        }

        static Kind of(byte tag) {
            for (Kind kind : values()) {
                if (kind.tag == tag) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown envelope kind " + tag);
        }
    }

    /** Encodes a message; copies the payload's bytes, so the caller may release it at once. */
    static byte[] message(NodeId origin, PeerId recipient, PeerId sender, Payload payload) {
        return encode(Kind.MESSAGE, origin, recipient, sender, payload.toByteArray());
    }

    /** A miss notice; its payload is the error detail for the sender, in UTF-8. */
    static byte[] miss(NodeId origin, PeerId recipient, PeerId sender, String detail) {
        return encode(Kind.MISS, origin, recipient, sender, detail.getBytes(StandardCharsets.UTF_8));
    }

    /** An error frame for {@code sender}, about its message for {@code recipient}. */
    static byte[] notice(NodeId origin, PeerId recipient, PeerId sender, SignalError error) {
        return encode(Kind.NOTICE, origin, recipient, sender,
                (error.code().wireName() + "\n" + error.detail()).getBytes(StandardCharsets.UTF_8));
    }

    /** The error a {@link Kind#NOTICE} carries; null when it names no code this node knows. */
    SignalError noticeError() {
        String text = new String(frame, payloadFrom, payloadTo - payloadFrom, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String code = newline < 0 ? text : text.substring(0, newline);
        for (ErrorCode known : ErrorCode.values()) {
            if (known.wireName().equals(code)) {
                return new SignalError(known, newline < 0 ? "" : text.substring(newline + 1), recipient.value());
            }
        }
        return null;
    }

    static byte[] takeover(NodeId origin, PeerId id, byte[] replaced, byte[] token) {
        byte[] payload = new byte[replaced.length + 1 + token.length];
        System.arraycopy(replaced, 0, payload, 0, replaced.length);
        payload[replaced.length] = '\n';
        System.arraycopy(token, 0, payload, replaced.length + 1, token.length);
        return encode(Kind.TAKEOVER, origin, id, id, payload);
    }

    static byte[] takeoverDone(NodeId origin, PeerId id, byte[] token) {
        return encode(Kind.TAKEOVER_DONE, origin, id, id, token);
    }

    private static byte[] encode(Kind kind, NodeId origin, PeerId recipient, PeerId sender, byte[] payload) {
        byte[] o = origin.value().getBytes(StandardCharsets.UTF_8);
        byte[] r = recipient.value().getBytes(StandardCharsets.UTF_8);
        byte[] s = sender.value().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 6 + o.length + r.length + s.length + payload.length);
        out.put(kind.tag);
        putString(out, o);
        putString(out, r);
        putString(out, s);
        out.put(payload);
        return out.array();
    }

    static ClusterEnvelope decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes the envelope in {@code frame[offset, offset + length)} without copying the payload;
     * throws IllegalArgumentException on a malformed envelope.
     */
    static ClusterEnvelope decode(byte[] frame, int offset, int length) {
        try {
            ByteBuffer in = ByteBuffer.wrap(frame, offset, length);
            Kind kind = Kind.of(in.get());
            NodeId origin = new NodeId(getString(in));
            PeerId recipient = new PeerId(getString(in));
            PeerId sender = new PeerId(getString(in));
            return new ClusterEnvelope(kind, origin, recipient, sender, frame, in.position(), offset + length);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated envelope", e);
        }
    }

    /** The client's bytes inside the frame, as a payload for the recipient's session. */
    Payload payload() {
        return new EnvelopePayload(frame, payloadFrom, payloadTo);
    }

    private static void putString(ByteBuffer out, byte[] value) {
        out.putShort((short) value.length);
        out.put(value);
    }

    private static String getString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }
}
