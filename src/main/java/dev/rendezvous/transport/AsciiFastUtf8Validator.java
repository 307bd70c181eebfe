package dev.rendezvous.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Netty's UTF-8 validator, with a shortcut for what signaling traffic nearly always is: a whole
 * text message in one frame whose bytes are all ASCII, and so valid UTF-8. Such a frame is checked
 * eight bytes at a time and passed on; every other frame (a fragment, a continuation, anything
 * with a byte above 0x7F) goes through Netty's byte-by-byte state machine exactly as before, so
 * what is accepted and what closes with 1007 does not change. Netty's validator cost a quarter of
 * the server's CPU in the flood benchmark.
 *
 * <p>A final text frame always starts a message: Netty's frame decoder refuses a text frame while a
 * fragmented message is open, so Netty's validator holds no state from earlier frames here.
 */
final class AsciiFastUtf8Validator extends Utf8FrameValidator {

    private static final long HIGH_BITS = 0x8080808080808080L;

    AsciiFastUtf8Validator() {
        super(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof TextWebSocketFrame text && text.isFinalFragment() && isAscii(text.content())) {
            ctx.fireChannelRead(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    static boolean isAscii(ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            if ((bytes.getLong(i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (bytes.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }
}
