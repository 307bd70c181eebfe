package dev.rendezvous.transport;

import dev.rendezvous.admission.ClientAddress;
import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.Claim;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.SignalError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one upgraded socket. Writes may come from any event loop: Netty queues them
 * in order on the channel's own loop and counts their bytes against the channel's write-buffer
 * water mark at once, so {@link Channel#isWritable()} bounds the queue even for cross-thread
 * writes. At the bound the socket is closed as too slow (1013) instead of dropping a message:
 * a signaling peer that silently loses one ICE candidate fails its call in ways nobody can debug.
 */
final class WebSocketSession extends ClosingHandshake implements PeerSession, Runnable {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

    private final PeerId id;
    /** Null for a plain claim (no session key, no grant): most sockets, which then pay no object for it. */
    private final Claim claim;
    private final ServerFrames frames;
    /** Touched only on the channel's event loop. */
    private boolean flushPending;
    private volatile long lastInboundNanos;
    private long lastPingNanos;
    /** Where this socket's ID is bound, or null when it holds none: released once, when closing starts. */
    private volatile Relay boundIn;
    /** The client a trusted proxy named; null when it is the TCP peer, which the channel knows. */
    private final ClientAddress forwardedClient;

    WebSocketSession(PeerId id, Channel channel, ServerFrames frames, long nowNanos, ClientAddress forwardedClient) {
        this(Claim.plain(id), channel, frames, Metrics.OFF, nowNanos, forwardedClient);
    }

    WebSocketSession(PeerId id, Channel channel, ServerFrames frames, Metrics metrics, long nowNanos) {
        this(Claim.plain(id), channel, frames, metrics, nowNanos, null);
    }

    WebSocketSession(Claim claim, Channel channel, ServerFrames frames, Metrics metrics, long nowNanos,
            ClientAddress forwardedClient) {
        super(channel, metrics);
        this.id = claim.id();
        this.claim = claim.hasKey() || claim.vouched() || claim.peers() != null ? claim : null;
        this.frames = frames;
        this.lastInboundNanos = nowNanos;
        this.lastPingNanos = nowNanos;
        this.forwardedClient = forwardedClient;
    }

    @Override
    public PeerId id() {
        return id;
    }

    @Override
    public Claim claim() {
        return claim != null ? claim : Claim.plain(id);
    }

    Channel channel() {
        return channel;
    }

    /**
     * The address the node took as this socket's client, the one its per-client limits and log
     * lines use: the TCP peer's, or with {@code --trust-proxy} the one a trusted proxy named in
     * {@code X-Forwarded-For}. IPv4 as a dotted quad, IPv6 in RFC 5952 form, without a port.
     */
    public String clientAddress() {
        return client().toString();
    }

    ClientAddress client() {
        return forwardedClient != null ? forwardedClient : ClientAddress.of(peerAddress(channel));
    }

    boolean forwarded() {
        return forwardedClient != null;
    }

    /** The TCP peer's IP address, or null for a channel without one (an embedded channel in tests). */
    static InetAddress peerAddress(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    Metrics metrics() {
        return metrics;
    }

    @Override
    public DeliveryResult deliver(Payload payload) {
        DeliveryResult admission = admit();
        if (admission == DeliveryResult.QUEUED) {
            ByteBufPayload shared = payload instanceof ByteBufPayload received ? received : null;
            ByteBuf content = shared != null ? shared.retainedShare() : Unpooled.wrappedBuffer(payload.toByteArray());
            metrics.sent(content.readableBytes());
            TextWebSocketFrame frame = new TextWebSocketFrame(content);
            ChannelPromise written = shared == null || shared.sample() == null
                    ? channel.voidPromise()
                    : channel.newPromise().addListener(shared.sample());
            if (channel.eventLoop().inEventLoop()) {
                channel.write(frame, written);
                requestFlush();
            } else {
                // From another loop the write is queued as a task; a separate flush request could
                // overtake a later write, so write and flush travel together.
                channel.writeAndFlush(frame, written);
            }
        }
        return admission;
    }

    /**
     * Relayed messages are written by other sockets' reads, often several in one event-loop
     * iteration. One flush per iteration sends them in one write(2) instead of one system call
     * each; nothing waits longer than the current iteration. (Netty's FlushConsolidationHandler
     * does the same but costs a pipeline handler and context on every idle socket.)
     */
    private void requestFlush() {
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(this);
        }
    }

    /**
     * The flush task of {@link #requestFlush}. The session is its own task rather than holding a
     * method reference, which would cost every idle socket another 16 B object.
     */
    @Override
    public void run() {
        flushPending = false;
        channel.flush();
    }

    @Override
    public DeliveryResult sendError(SignalError error) {
        DeliveryResult admission = admit();
        if (admission == DeliveryResult.QUEUED) {
            metrics.errorSent(error.code(), writeServerFrame(160, out -> frames.writeError(id, error, out)));
        }
        return admission;
    }

    @Override
    public DeliveryResult sendHeld(PeerId recipient) {
        DeliveryResult admission = admit();
        if (admission == DeliveryResult.QUEUED) {
            writeServerFrame(64 + recipient.value().length(), out -> frames.writeHeld(id, recipient, out));
        }
        return admission;
    }

    /** Writes a frame the server makes itself; returns its size. */
    private int writeServerFrame(int sizeHint, Consumer<OutputStream> encoder) {
        ByteBuf content = channel.alloc().buffer(sizeHint);
        try (ByteBufOutputStream out = new ByteBufOutputStream(content)) {
            encoder.accept(out);
        } catch (Exception e) {
            content.release();
            throw new IllegalStateException("cannot encode a server frame", e);
        }
        int bytes = content.readableBytes();
        channel.writeAndFlush(new TextWebSocketFrame(content), channel.voidPromise());
        return bytes;
    }

    /**
     * Answers a ping within the same outbound bound as everything else: a client that pings
     * without reading would otherwise grow its queue of pongs without limit, since every ping also
     * counts as a sign of life. Takes ownership of {@code payload}.
     */
    void pong(ByteBuf payload) {
        if (admit() == DeliveryResult.QUEUED) {
            channel.writeAndFlush(new PongWebSocketFrame(payload), channel.voidPromise());
        } else {
            payload.release();
        }
    }

    private DeliveryResult admit() {
        if (isClosing() || !channel.isActive()) {
            return DeliveryResult.CLOSED;
        }
        if (!isOpen()) {
            return DeliveryResult.CONNECTING;
        }
        if (!channel.isWritable()) {
            log.info("peer={} outbound queue full, closing as too slow", id);
            close(CloseReason.TOO_SLOW);
            return DeliveryResult.OVERLOADED;
        }
        return DeliveryResult.QUEUED;
    }

    /** This socket's ID is bound in {@code relay}; closing releases it there. */
    void boundIn(Relay relay) {
        this.boundIn = relay;
    }

    /**
     * Frees the ID at once rather than when the TCP connection ends: a closing socket takes no
     * more messages, and a client reconnecting after a refresh or a network change must not find
     * its own ID taken while the old close handshake runs out.
     */
    @Override
    void closingStarted() {
        Relay relay = boundIn;
        if (relay != null) {
            relay.release(this);
        }
    }

    void markInbound(long nowNanos) {
        lastInboundNanos = nowNanos;
    }

    long lastInboundNanos() {
        return lastInboundNanos;
    }

    /**
     * Called only from the liveness monitor's single thread. The ping carries the time it was sent
     * (read now, not at the start of the sweep, which may have walked many sockets since), and the
     * client's pong echoes it (RFC 6455 5.5.3): the round trip is measured without a field per socket.
     */
    boolean pingIfDue(long nowNanos, long intervalNanos) {
        if (nowNanos - lastPingNanos < intervalNanos || isClosing()) {
            return false;
        }
        lastPingNanos = nowNanos;
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(System.nanoTime())), channel.voidPromise());
        return true;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id + " " + channel.remoteAddress() + "]";
    }
}
