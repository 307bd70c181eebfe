package dev.rendezvous.transport;

import dev.rendezvous.signaling.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A received message's buffer, shared (not copied) with the recipient's socket.
 *
 * @param sample set on the messages whose relay latency is measured (one in
 *               {@code Metrics.latencySampleEvery()} per socket), else null
 */
record ByteBufPayload(ByteBuf content, RelaySample sample) implements Payload {

    ByteBufPayload(ByteBuf content) {
        this(content, null);
    }

    @Override
    public int length() {
        return content.readableBytes();
    }

    @Override
    public byte[] toByteArray() {
        return ByteBufUtil.getBytes(content);
    }

    /** A new reference to the same bytes, for one more write; the caller's reference is untouched. */
    ByteBuf retainedShare() {
        return content.retainedDuplicate();
    }
}
