package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that is still plain HTTP after the deadline: it protects the node from
 * clients that connect and never finish a request. Removed from the pipeline at the upgrade.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {

    private final long deadlineMillis;
    private ScheduledFuture<?> timer;

    HandshakeDeadline(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> ctx.close(), deadlineMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
