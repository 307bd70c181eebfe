package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;

/**
 * One client socket of the generator. Everything about it runs on the generator's single event
 * loop, so the scenario's bookkeeping needs no locks.
 */
final class BenchSocket extends SimpleChannelInboundHandler<Object> {

    /** The scenario's view of a socket; every call comes on the event loop. */
    interface Listener {
        void onOpen(BenchSocket socket);

        void onMessage(BenchSocket socket, ByteBuf text);

        void onClosed(BenchSocket socket, int closeCode, Throwable failure);

        default void onWritable(BenchSocket socket) {
        }
    }

    final String id;
    final long startedNanos;
    private final WebSocketClientHandshaker handshaker;
    private final Protocol protocol;
    private final Listener listener;
    private Channel channel;
    private boolean open;
    private int closeCode = -1;
    private Throwable failure;
    /** Scenario state attached to this socket: the lane it receives on. */
    Object attachment;
    /** The lane this socket sends on, when it sends on exactly one. */
    Lane outbound;

    BenchSocket(String id, WebSocketClientHandshaker handshaker, Protocol protocol, Listener listener) {
        this.id = id;
        this.handshaker = handshaker;
        this.protocol = protocol;
        this.listener = listener;
        this.startedNanos = System.nanoTime();
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshaker.handshake(channel);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (!handshaker.isHandshakeComplete()) {
            handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
            if (!protocol.greets()) {
                opened();
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame text) {
            if (!open && protocol.isGreeting(text.content())) {
                opened();
            } else {
                listener.onMessage(this, text.content());
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ctx.voidPromise());
        } else if (msg instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close();
        }
    }

    private void opened() {
        open = true;
        listener.onOpen(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        listener.onClosed(this, closeCode, failure);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (open && ctx.channel().isWritable()) {
            listener.onWritable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }

    void connectFailed(Throwable cause) {
        failure = cause;
        listener.onClosed(this, closeCode, cause);
    }
}
