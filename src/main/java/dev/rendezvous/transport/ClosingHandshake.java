package dev.rendezvous.transport;

import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgraded socket's life between its 101 and its end (RFC 6455 §7): open once the 101 is on its
 * way, then closed exactly once — by us, by the peer, or after a protocol violation — with the
 * close frame drained before the TCP connection is cut, never later than a deadline. A base class
 * rather than a field so an idle socket pays no extra object for it.
 */
abstract class ClosingHandshake {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

    /** How long a closing socket may take to drain its close frame before the TCP connection is cut. */
    static final long FORCE_CLOSE_AFTER_MILLIS = 3_000;

    private static final AtomicIntegerFieldUpdater<ClosingHandshake> CLOSING =
            AtomicIntegerFieldUpdater.newUpdater(ClosingHandshake.class, "closing");

    final Channel channel;
    final Metrics metrics;
    private volatile int closing;
    private volatile boolean open;

    ClosingHandshake(Channel channel, Metrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    public abstract PeerId id();

    /** Runs once, when closing starts, whichever side started it. */
    abstract void closingStarted();

    /**
     * Starts the closing handshake: sends the close frame and waits for the peer's reply (see
     * {@link #closeByPeer}) before hanging up, as RFC 6455 asks, but never longer than
     * {@link #FORCE_CLOSE_AFTER_MILLIS}. A peer too slow to read its queue is cut at that deadline.
     */
    public void close(CloseReason reason) {
        if (!startClosing()) {
            return;
        }
        if (!open) {
            // Still plain HTTP: there is no WebSocket to send a close frame on.
            channel.close();
            return;
        }
        log.debug("peer={} closing code={} reason={}", id(), reason.code(), reason.reason());
        metrics.closed(reason);
        channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.reason()), channel.voidPromise());
        channel.eventLoop().schedule(() -> channel.close(), FORCE_CLOSE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Closes after the frame decoder gave up on the input. The decoder now discards every byte, so
     * the peer's close reply can never be read: send the close frame, then FIN, and keep reading
     * (discarding) until the peer hangs up or the deadline. Hanging up at once, with the rest of an
     * oversized frame unread, would make the kernel send a reset that destroys the close frame.
     */
    void closeAfterViolation(CloseReason reason) {
        if (!startClosing()) {
            return;
        }
        log.debug("peer={} closing after a protocol violation code={}", id(), reason.code());
        metrics.closed(reason);
        channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.reason())).addListener(written -> {
            if (written.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
        channel.eventLoop().schedule(() -> channel.close(), FORCE_CLOSE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The peer sent a close frame: echo it and hang up, or hang up if we had asked first. */
    void closeByPeer(CloseWebSocketFrame frame) {
        if (startClosing()) {
            metrics.closedByClient(frame.statusCode());
            channel.writeAndFlush(frame.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /**
     * Called on the channel's event loop in the task that writes the 101 and installs the frame
     * pipeline, just before the 101: writes from other loops queue behind that task, so they are
     * encoded as WebSocket frames after the 101. Before it, the ID may already be bound (the claim
     * comes first, and a cluster claim waits for Redis) but deliveries are refused.
     */
    void markOpen() {
        open = true;
    }

    boolean isOpen() {
        return open;
    }

    boolean isClosing() {
        return closing != 0;
    }

    ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    private boolean startClosing() {
        if (!CLOSING.compareAndSet(this, 0, 1)) {
            return false;
        }
        closingStarted();
        return true;
    }
}
