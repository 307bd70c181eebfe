package dev.rendezvous.transport;

import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP request at {@code /websocket} into a bound WebSocket: validates the ID and the
 * upgrade headers (400 or 426 before anything is claimed), claims the ID, then performs the
 * handshake and swaps the HTTP handlers for the frame pipeline, all before the 101 can be read. A
 * taken ID is reported after the upgrade with close code 4409, because browsers hide the status of
 * a refused upgrade from scripts and a close code is the only reason a page can read.
 */
final class WebSocketUpgrader {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrader.class);

    static final String UTF8_VALIDATOR = "utf8Validator";
    static final String AGGREGATOR = "messageAggregator";
    static final String FRAME_HANDLER = "frameHandler";

    private final WebSocketDecoderConfig decoderConfig;
    private final int maxMessageBytes;
    private final EnvelopeHeaderParser parser;
    private final ServerFrames frames;
    private final Router router;
    private final Relay relay;
    private final OpenSessions openSessions;

    WebSocketUpgrader(int maxMessageBytes, EnvelopeHeaderParser parser, ServerFrames frames, Router router,
            Relay relay, OpenSessions openSessions) {
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                // The frame handler closes instead (WebSocketSession.closeAfterViolation): the decoder
                // would hang up with the offending frame's bytes unread, and the kernel's reset then
                // destroys the close frame before a browser reads it (Chrome reports 1006).
                .closeOnProtocolViolation(false)
                .build();
        this.maxMessageBytes = maxMessageBytes;
        this.parser = parser;
        this.frames = frames;
        this.router = router;
        this.relay = relay;
        this.openSessions = openSessions;
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String rawQuery) {
        FingerParameter.Result finger = FingerParameter.parse(rawQuery);
        if (finger.id() == null) {
            log.debug("refused upgrade from {}: {}", ctx.channel().remoteAddress(), finger.problem());
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, finger.problem());
            return;
        }
        String malformed = upgradeProblem(request);
        if (malformed != null) {
            log.debug("refused upgrade from {}: {}", ctx.channel().remoteAddress(), malformed);
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, malformed);
            return;
        }
        WebSocketServerHandshaker handshaker = handshakerFor(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Channel channel = ctx.channel();
        WebSocketSession session = new WebSocketSession(finger.id(), channel, frames, System.nanoTime());
        // Claim before the 101 goes out, so that a client holding a 101 is already reachable by
        // its ID. Nothing is read from the socket until the claim (remote in a cluster) is decided.
        CompletableFuture<ClaimResult> claim = relay.claim(session).toCompletableFuture();
        if (claim.isDone()) {
            // The single-node claim is decided at once: bind, answer 101 and swap the pipeline in
            // one event-loop task, so no write from another loop can slip in between.
            ClaimResult outcome = claim.isCompletedExceptionally() ? ClaimResult.UNAVAILABLE : claim.join();
            finish(ctx, handshaker, request, session, outcome, null);
            return;
        }
        channel.config().setAutoRead(false);
        FullHttpRequest held = request.retain();
        claim.whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
            try {
                finish(ctx, handshaker, held, session, failure == null ? result : ClaimResult.UNAVAILABLE, failure);
            } finally {
                held.release();
            }
        }));
    }

    /** Netty's handshaker for the request's protocol version; null when it names none or one Netty lacks. */
    private WebSocketServerHandshaker handshakerFor(FullHttpRequest request) {
        // Without a version Netty would assume the 2010 draft (hixie-76), which no browser speaks.
        if (!request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)) {
            return null;
        }
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost")
                + HttpRequestHandler.WEBSOCKET_PATH;
        return new WebSocketServerHandshakerFactory(location, null, decoderConfig).newHandshaker(request);
    }

    /**
     * Why the request is not an upgrade Netty's handshaker would accept (RFC 6455 4.2.1), or null.
     * Checked before the ID is claimed: the handshaker only finds out after, when a failure would
     * leave the ID bound to a connection that never becomes a WebSocket.
     */
    private static String upgradeProblem(FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        // Upgrade must be exactly "websocket" (Netty's handshaker does not split it); Connection is
        // a token list ("keep-alive, Upgrade" from Firefox).
        if (!headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return "expected a WebSocket upgrade";
        }
        String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || key.isBlank()) {
            return "missing Sec-WebSocket-Key";
        }
        return null;
    }

    /**
     * What follows Netty's frame decoder on an upgraded socket. Like the decoder, the UTF-8
     * validator does not close by itself: the frame handler closes after any violation, the same
     * way for all of them (see the decoder's configuration above).
     */
    static void addFrameHandlers(ChannelPipeline pipeline, int maxMessageBytes, WebSocketFrameHandler frameHandler) {
        pipeline.addLast(UTF8_VALIDATOR, new AsciiFastUtf8Validator());
        pipeline.addLast(AGGREGATOR, new WebSocketFrameAggregator(maxMessageBytes));
        pipeline.addLast(FRAME_HANDLER, frameHandler);
    }

    private void finish(ChannelHandlerContext ctx, WebSocketServerHandshaker handshaker, FullHttpRequest request,
            WebSocketSession session, ClaimResult outcome, Throwable failure) {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            if (outcome == ClaimResult.CLAIMED) {
                relay.release(session);
            }
            return;
        }
        if (outcome == ClaimResult.CLAIMED) {
            session.boundIn(relay);
        }
        // Open, and visible to liveness and shutdown, before the 101 leaves: a client that reads
        // the 101 may be messaged (or told "going away") at once, from any thread. Writes from
        // other threads are queued behind this task, so they reach the channel after the 101 and
        // the WebSocket encoder, never before.
        session.markOpen();
        // An upgrade that passed the drain check just before shutdown began may miss its sweep.
        boolean lateForShutdown = !openSessions.add(session);
        try {
            handshaker.handshake(channel, request);
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.remove(ServerChannelInitializer.HANDSHAKE_DEADLINE);
            addFrameHandlers(pipeline, maxMessageBytes,
                    new WebSocketFrameHandler(session, parser, router, relay, openSessions));
            pipeline.remove(ctx.handler());
        } catch (RuntimeException e) {
            // Until the frame handler is in place nothing would ever release the ID: do it here.
            openSessions.remove(session);
            if (outcome == ClaimResult.CLAIMED) {
                relay.release(session);
            }
            // upgradeProblem checks everything Netty's handshaker checks, so this is a server bug.
            log.error("peer={} upgrade failed, closing", session.id(), e);
            channel.close();
            return;
        }
        if (outcome == ClaimResult.CLAIMED && lateForShutdown) {
            log.debug("peer={} connected as the node shuts down", session.id());
            session.close(CloseReason.GOING_AWAY);
        } else if (outcome == ClaimResult.CLAIMED) {
            log.debug("peer={} connected from {}", session.id(), channel.remoteAddress());
        } else if (outcome == ClaimResult.TAKEN) {
            log.debug("peer={} refused: id taken", session.id());
            session.close(CloseReason.ID_TAKEN);
        } else {
            // DEBUG: during an outage every reconnecting client lands here; the lease keeper logs the outage once.
            log.debug("peer={} refused: id directory unavailable", session.id(), failure);
            session.close(CloseReason.DIRECTORY_UNAVAILABLE);
        }
        // A refused socket reads on too, so the client's close reply ends the connection; the frame
        // handler ignores anything else it sends.
        channel.config().setAutoRead(true);
    }
}
