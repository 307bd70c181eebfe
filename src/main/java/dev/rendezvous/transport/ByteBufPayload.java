package dev.rendezvous.transport;

import dev.rendezvous.signaling.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** A received message's buffer, shared (not copied) with the recipient's socket. */
record ByteBufPayload(ByteBuf content) implements Payload {

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
