package dev.rendezvous.transport;

import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.SessionKey;
import dev.rendezvous.admission.ClientAddress;
import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.GateVerdict;
import dev.rendezvous.admission.MessageRate;
import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.metrics.UpgradeResult;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.Claim;
import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP request at {@code /websocket} into a bound WebSocket: validates the ID and the
 * upgrade headers (400 or 426 before anything is claimed), asks the {@link ConnectionGate} (origin,
 * socket limits: 403, 429 or 503), claims the ID, then performs the handshake and swaps the HTTP
 * handlers for the frame pipeline, all before the 101 can be read. A
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
    private final ClaimAdmission admission;
    private final ConnectionGate gate;
    /** Gives back the slot of a socket whose client is its TCP peer: one listener for all of them. */
    private final ChannelFutureListener releaseDirect;
    private final Metrics metrics;

    WebSocketUpgrader(int maxMessageBytes, EnvelopeHeaderParser parser, ServerFrames frames, Router router,
            Relay relay, OpenSessions openSessions, ConnectionGate gate, ClaimAdmission admission) {
        this(maxMessageBytes, parser, frames, router, relay, openSessions, new UpgradeAdmission(gate, admission),
                Metrics.OFF);
    }

    WebSocketUpgrader(int maxMessageBytes, EnvelopeHeaderParser parser, ServerFrames frames, Router router,
            Relay relay, OpenSessions openSessions, UpgradeAdmission upgradeAdmission, Metrics metrics) {
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
        this.admission = upgradeAdmission.claims();
        this.gate = upgradeAdmission.gate();
        this.releaseDirect = closed -> gate.release(WebSocketSession.peerAddress(closed.channel()), null);
        this.metrics = metrics;
    }

    /** An upgrade while the node shuts down: 503, so the client retries elsewhere. */
    void refuseDraining(ChannelHandlerContext ctx, FullHttpRequest request) {
        metrics.upgraded(UpgradeResult.DRAINING);
        HttpResponses.text(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down");
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String rawQuery) {
        FingerParameter.Result finger = FingerParameter.parse(rawQuery);
        if (finger.id() == null) {
            log.debug("refused upgrade from {}: {}", ctx.channel().remoteAddress(), finger.problem());
            metrics.upgraded(UpgradeResult.INVALID);
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, finger.problem());
            return;
        }
        SessionKey.Parsed key = admission.sessionKey(rawQuery,
                ClientAddress.of(WebSocketSession.peerAddress(ctx.channel())));
        if (key.refused()) {
            metrics.upgraded(UpgradeResult.INVALID);
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, key.problem());
            return;
        }
        String malformed = UpgradeRequests.upgradeProblem(request);
        if (malformed != null) {
            log.debug("refused upgrade from {}: {}", ctx.channel().remoteAddress(), malformed);
            metrics.upgraded(UpgradeResult.INVALID);
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, malformed);
            return;
        }
        WebSocketServerHandshaker handshaker = UpgradeRequests.handshakerFor(request, decoderConfig);
        if (handshaker == null) {
            metrics.upgraded(UpgradeResult.INVALID);
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Channel channel = ctx.channel();
        GateVerdict verdict = gate.admit(WebSocketSession.peerAddress(channel), request.headers()::getAll);
        if (verdict instanceof GateVerdict.Refused refused) {
            HttpResponses.text(ctx, request, HttpResponseStatus.valueOf(refused.status()), refused.body(),
                    refused.retryAfterSeconds());
            return;
        }
        ClientAddress forwarded = ((GateVerdict.Admitted) verdict).forwardedClient();
        // The slot is held until the connection closes, whatever happens to the upgrade; a listener
        // on the close future is the one place every path goes through. Direct sockets share one
        // listener, so an idle socket costs no object for it.
        channel.closeFuture().addListener(forwarded == null ? releaseDirect
                : (ChannelFutureListener) closed -> gate.release(null, forwarded));
        ClientAddress client = forwarded != null ? forwarded : ClientAddress.of(WebSocketSession.peerAddress(channel));
        // Admission decides the claim (a grant from a JWKS may take a fetch), then the relay binds it
        // (remote in a cluster). The ID is claimed before the 101 goes out, so that a client holding
        // a 101 is already reachable by its ID. Nothing is read from the socket meanwhile.
        CompletableFuture<Outcome> outcome = admission.decide(finger.id(), key.hash(), rawQuery,
                        request.headers().getAll(HttpHeaderNames.AUTHORIZATION), client)
                .thenCompose(decision -> claim(channel, finger.id(), decision, forwarded));
        if (outcome.isDone()) {
            // The single-node claim is decided at once: bind, answer 101 and swap the pipeline in
            // one event-loop task, so no write from another loop can slip in between.
            finish(ctx, handshaker, request, outcome.handle((result, failure) -> orFailed(result, failure,
                    finger.id(), channel, forwarded)).join());
            return;
        }
        channel.config().setAutoRead(false);
        FullHttpRequest held = request.retain();
        outcome.whenComplete((result, failure) -> channel.eventLoop().execute(() -> {
            try {
                finish(ctx, handshaker, held, orFailed(result, failure, finger.id(), channel, forwarded));
            } finally {
                held.release();
            }
        }));
    }

    /** A decision or claim that failed outright (a server bug or an unreachable directory) refuses with 1013. */
    private Outcome orFailed(Outcome outcome, Throwable failure, PeerId id, Channel channel,
            ClientAddress forwarded) {
        return failure == null ? outcome
                : new Outcome(new WebSocketSession(Claim.plain(id), channel, frames, metrics, System.nanoTime(), forwarded),
                        ClaimResult.UNAVAILABLE, null, failure);
    }

    /** What the upgrade ends in: a claim's result, or a refused grant (then nothing is claimed). */
    private record Outcome(WebSocketSession session, ClaimResult result, CloseReason refusal, Throwable failure) {
        boolean claimed() {
            return result == ClaimResult.CLAIMED || result == ClaimResult.REPLACED;
        }
    }

    private CompletableFuture<Outcome> claim(Channel channel, PeerId id, ClaimAdmission.Decision decision,
            ClientAddress forwarded) {
        if (decision.refusal() != null) {
            WebSocketSession refused = new WebSocketSession(Claim.plain(id), channel, frames, metrics, System.nanoTime(), forwarded);
            return CompletableFuture.completedFuture(new Outcome(refused, null, decision.refusal(), null));
        }
        WebSocketSession session = new WebSocketSession(decision.claim(), channel, frames, metrics, System.nanoTime(),
                forwarded);
        return relay.claim(session).toCompletableFuture().handle((result, failure) -> failure == null
                ? new Outcome(session, result, null, null)
                : new Outcome(session, ClaimResult.UNAVAILABLE, null, failure));
    }

    /**
     * What follows Netty's frame decoder on an upgraded socket: the frame handler, and in front of
     * it, from the first frame that is not a whole ASCII text message on, the UTF-8 validator and
     * the aggregator ({@link Reassembly}). Like the decoder, the validator does not close by
     * itself: the frame handler closes after any violation, the same way for all of them (see the
     * decoder's configuration above).
     */
    static void addFrameHandlers(ChannelPipeline pipeline, int maxMessageBytes, WebSocketFrameHandler frameHandler) {
        frameHandler.reassembleWhenNeeded(maxMessageBytes);
        pipeline.addLast(FRAME_HANDLER, frameHandler);
    }

    private WebSocketFrameHandler frameHandlerFor(WebSocketSession session) {
        MessageRate rate = gate.messageRate();
        return rate == null
                ? new WebSocketFrameHandler(session, parser, router, relay, openSessions)
                : new RateLimitedFrameHandler(session, parser, router, relay, openSessions, rate, System.nanoTime());
    }

    private void finish(ChannelHandlerContext ctx, WebSocketServerHandshaker handshaker, FullHttpRequest request,
            Outcome outcome) {
        Channel channel = ctx.channel();
        WebSocketSession session = outcome.session();
        if (!channel.isActive()) {
            metrics.upgraded(UpgradeResult.ABANDONED);
            if (outcome.claimed()) {
                relay.release(session);
            }
            return;
        }
        if (outcome.claimed()) {
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
            addFrameHandlers(pipeline, maxMessageBytes, frameHandlerFor(session));
            pipeline.remove(ctx.handler());
        } catch (RuntimeException e) {
            // Until the frame handler is in place nothing would ever release the ID: do it here.
            openSessions.remove(session);
            if (outcome.claimed()) {
                relay.release(session);
            }
            // UpgradeRequests.upgradeProblem checks everything Netty's handshaker checks, so this is a server bug.
            log.error("peer={} upgrade failed, closing", session.id(), e);
            metrics.upgraded(UpgradeResult.FAILED);
            channel.close();
            return;
        }
        if (outcome.refusal() != null) {
            // Admission logged and counted the cause; the ID was never claimed.
            metrics.upgraded(UpgradeResult.UNAUTHORIZED);
            session.close(outcome.refusal());
        } else if (outcome.claimed() && lateForShutdown) {
            log.debug("peer={} connected as the node shuts down", session.id());
            metrics.upgraded(UpgradeResult.DRAINING);
            session.close(CloseReason.GOING_AWAY);
        } else if (outcome.claimed()) {
            log.debug("peer={} connected from {}{}{}", session.id(), session.clientAddress(),
                    session.forwarded() ? " via " + channel.remoteAddress() : "",
                    outcome.result() == ClaimResult.REPLACED ? ", replacing its older socket" : "");
            metrics.upgraded(outcome.result() == ClaimResult.REPLACED ? UpgradeResult.REPLACING
                    : UpgradeResult.ACCEPTED);
            // After the 101 and the frame encoder, in the task that marked the socket open: held
            // messages go out first, and anything delivered from other threads queues behind them.
            relay.opened(session);
        } else if (outcome.result() == ClaimResult.TAKEN) {
            log.debug("peer={} refused: id taken", session.id());
            metrics.upgraded(UpgradeResult.ID_TAKEN);
            session.close(CloseReason.ID_TAKEN);
        } else {
            // DEBUG: during an outage every reconnecting client lands here; the lease keeper logs the outage once.
            log.debug("peer={} refused: id directory unavailable", session.id(), outcome.failure());
            metrics.upgraded(UpgradeResult.DIRECTORY_UNAVAILABLE);
            session.close(CloseReason.DIRECTORY_UNAVAILABLE);
        }
        // A refused socket reads on too, so the client's close reply ends the connection; the frame
        // handler ignores anything else it sends.
        channel.config().setAutoRead(true);
    }
}
