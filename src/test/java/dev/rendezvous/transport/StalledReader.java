package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Stands in for a peer that stops reading: swallows every flush, so writes stay queued in the
 * channel's outbound buffer and count against its write-buffer water mark, as they would behind
 * a full TCP window. {@link #resume} lets the held writes through.
 */
final class StalledReader extends ChannelOutboundHandlerAdapter {

    static final String NAME = "stalledReader";

    private boolean stalled = true;

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!stalled) {
            ctx.flush();
        }
    }

    void resume(ChannelHandlerContext ctx) {
        stalled = false;
        ctx.flush();
    }
}
