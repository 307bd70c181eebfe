package dev.rendezvous.transport;

import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.MalformedEnvelopeException;
import dev.rendezvous.signaling.AllowedPeers;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.Forwarded;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded socket: whole text messages in, routing decisions out.
 * Control frames are answered here; the domain rules live in {@link Router}. With a message rate
 * the node uses {@link RateLimitedFrameHandler} instead, so that sockets of a node without one
 * carry no bucket fields.
 */
class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    /** Longer than any idle timeout a pong could arrive within: anything beyond was not our ping's. */
    private static final long MAX_ROUND_TRIP_NANOS = TimeUnit.HOURS.toNanos(1);

    private final WebSocketSession session;
    private final EnvelopeHeaderParser parser;
    private final Router router;
    private final Relay relay;
    private final OpenSessions openSessions;
    /** The only peers this socket's grant lets it signal; null (the usual case) for any. */
    private final AllowedPeers allowedPeers;
    /** The header of this socket's last message: reused while its client writes to the same peer. */
    private EnvelopeHeader lastHeader;
    /** Messages until the next one whose relay latency is measured; the first one is. */
    private int untilSample;
    /** Above 0: the message limit of the validator and aggregator {@link Reassembly} adds when needed. */
    private int reassemblyLimit;
    /** Whether they have been added, so that every frame from here on comes through them. */
    private boolean reassembling;

    WebSocketFrameHandler(WebSocketSession session, EnvelopeHeaderParser parser, Router router, Relay relay,
            OpenSessions openSessions) {
        this.session = session;
        this.parser = parser;
        this.router = router;
        this.relay = relay;
        this.openSessions = openSessions;
        this.allowedPeers = session.claim().allowedPeers();
    }

    /**
     * Frames that are not whole ASCII text messages get Netty's UTF-8 validator and aggregator
     * (up to {@code maxMessageBytes}) in front of this handler, added when the first one arrives.
     */
    void reassembleWhenNeeded(int maxMessageBytes) {
        this.reassemblyLimit = maxMessageBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (reassemblyLimit > 0 && !reassembling && !Reassembly.passesAlone(frame)) {
            reassembling = true;
            Reassembly.start(ctx, frame, reassemblyLimit);
            return;
        }
        try {
            long nowNanos = System.nanoTime();
            session.markInbound(nowNanos);
            if (frame instanceof TextWebSocketFrame text) {
                onText(text.content(), nowNanos);
            } else if (frame instanceof PingWebSocketFrame) {
                session.pong(frame.content().retain());
            } else if (frame instanceof CloseWebSocketFrame close) {
                session.closeByPeer(close);
            } else if (frame instanceof BinaryWebSocketFrame) {
                log.debug("peer={} sent a binary frame", session.id());
                session.close(CloseReason.UNSUPPORTED_DATA);
            } else if (frame instanceof PongWebSocketFrame) {
                onPong(frame.content(), nowNanos);
            } else {
                log.debug("peer={} sent an unexpected {}", session.id(), frame.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onText(ByteBuf content, long nowNanos) {
        if (session.isClosing() || !withinRate(nowNanos)) {
            return;
        }
        Metrics metrics = session.metrics();
        EnvelopeHeader header;
        try {
            header = parser.parse(nioView(content), lastHeader);
        } catch (MalformedEnvelopeException e) {
            log.debug("peer={} sent an unroutable message: {}", session.id(), e.getMessage());
            metrics.malformed(content.readableBytes());
            session.sendError(e.error());
            return;
        }
        lastHeader = header;
        Forwarded outcome = router.route(session, allowedPeers, header, payload(content, nowNanos, metrics));
        metrics.routed(outcome, content.readableBytes());
    }

    /** Whether a message that arrived at {@code nowNanos} may be routed; without a message rate, always. */
    boolean withinRate(long nowNanos) {
        return true;
    }

    WebSocketSession session() {
        return session;
    }

    /** The message as a payload, stamped with its decode time if it is one of the sampled ones. */
    private ByteBufPayload payload(ByteBuf content, long decodedAt, Metrics metrics) {
        if (--untilSample > 0) {
            return new ByteBufPayload(content);
        }
        int every = metrics.latencySampleEvery();
        untilSample = every > 0 ? every : Integer.MAX_VALUE;
        return every > 0
                ? new ByteBufPayload(content, new RelaySample(decodedAt, metrics))
                : new ByteBufPayload(content);
    }

    /**
     * A pong to one of our pings echoes the time it was sent (see {@link WebSocketSession#pingIfDue});
     * any other pong, such as an unsolicited one, is only a sign of life.
     */
    private void onPong(ByteBuf content, long now) {
        if (content.readableBytes() == Long.BYTES) {
            long roundTrip = now - content.getLong(content.readerIndex());
            if (roundTrip >= 0 && roundTrip < MAX_ROUND_TRIP_NANOS) {
                session.metrics().pingRoundTrip(roundTrip);
            }
        }
    }

    /**
     * The bytes as a ByteBuffer without allocating one: a pooled buffer keeps a view for such
     * short uses. A message reassembled from fragments spans several buffers and is copied once.
     */
    private static ByteBuffer nioView(ByteBuf content) {
        return content.nioBufferCount() == 1
                ? content.internalNioBuffer(content.readerIndex(), content.readableBytes())
                : content.nioBuffer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!session.isClosing()) {
            session.metrics().dropped();
        }
        relay.release(session);
        openSessions.remove(session);
        log.debug("peer={} disconnected", session.id());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // From the aggregator: the frames themselves are sound, so the closing handshake can run.
            log.debug("peer={} sent a message over the size limit", session.id());
            session.close(CloseReason.MESSAGE_TOO_BIG);
        } else if (cause instanceof CorruptedFrameException) {
            // From the frame decoder or the UTF-8 validator, neither of which closes by itself.
            CloseReason reason = violationReason(cause);
            log.debug("peer={} protocol violation, closing with {}: {}", session.id(), reason.code(),
                    cause.getMessage());
            session.closeAfterViolation(reason);
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // DecoderException around SSLException: TLS records the client broke, a client fault.
            log.debug("peer={} connection error: {}", session.id(), cause.toString());
            ctx.close();
        } else {
            log.error("peer={} unexpected error, closing", session.id(), cause);
            session.close(CloseReason.INTERNAL_ERROR);
        }
    }

    private static CloseReason violationReason(Throwable cause) {
        int code = cause instanceof CorruptedWebSocketFrameException corrupt ? corrupt.closeStatus().code() : 0;
        if (code == CloseReason.MESSAGE_TOO_BIG.code()) {
            return CloseReason.MESSAGE_TOO_BIG;
        }
        if (code == CloseReason.INVALID_PAYLOAD.code()) {
            return CloseReason.INVALID_PAYLOAD;
        }
        return CloseReason.PROTOCOL_ERROR;
    }
}
