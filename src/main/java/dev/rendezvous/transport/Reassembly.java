package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.List;

/**
 * The UTF-8 validator and the message aggregator, added to a socket's pipeline only when its
 * first frame needs them. Signaling traffic is nearly always whole text messages of ASCII (SDP,
 * ICE candidates and JSON of ASCII strings), which the frame handler takes as they come; a socket
 * keeps ~200 B less (two handlers and their pipeline contexts) until it sends anything else: a
 * fragment, a continuation, or a text frame with a byte above 0x7F. From then on every frame of
 * that socket goes through Netty's aggregator and the validator, exactly as when they were always
 * there, so what is accepted, and what closes with 1007 or 1009, is the same.
 */
final class Reassembly {

    private Reassembly() {
    }

    /** Whether {@code frame} may skip the validator and the aggregator: whole, and if text, ASCII. */
    static boolean passesAlone(WebSocketFrame frame) {
        if (!frame.isFinalFragment() || frame instanceof ContinuationWebSocketFrame) {
            return false;
        }
        return !(frame instanceof TextWebSocketFrame) || AsciiFastUtf8Validator.isAscii(frame.content());
    }

    /**
     * Adds the validator and the aggregator in front of {@code handler}'s context and passes
     * {@code frame} (whose reference it takes over) to them, from the handler before them.
     */
    static void start(ChannelHandlerContext handler, WebSocketFrame frame, int maxMessageBytes) {
        ChannelPipeline pipeline = handler.pipeline();
        pipeline.addBefore(handler.name(), WebSocketUpgrader.UTF8_VALIDATOR, new AsciiFastUtf8Validator());
        pipeline.addBefore(handler.name(), WebSocketUpgrader.AGGREGATOR, new WebSocketFrameAggregator(maxMessageBytes));
        List<String> names = pipeline.names();
        int validator = names.indexOf(WebSocketUpgrader.UTF8_VALIDATOR);
        if (validator == 0) {
            pipeline.fireChannelRead(frame);
        } else {
            pipeline.context(names.get(validator - 1)).fireChannelRead(frame);
        }
    }
}
