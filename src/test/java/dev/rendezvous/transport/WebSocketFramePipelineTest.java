package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.FakePeerSession;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import dev.rendezvous.support.CapturedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The frame pipeline the upgrader installs (UTF-8 validation, reassembly, routing), fed decoded
 * frames: fragmented messages, the size limit across fragments, and invalid UTF-8.
 */
class WebSocketFramePipelineTest {

    private static final int MAX_MESSAGE_BYTES = 1024;

    private final LocalRelay relay = new LocalRelay();
    private final FakePeerSession bob = new FakePeerSession("bob");
    private final EmbeddedChannel alice = new EmbeddedChannel();

    WebSocketFramePipelineTest() {
        WebSocketSession session = new WebSocketSession(new PeerId("alice"), alice, new ServerFrames(), 0, null);
        session.markOpen();
        WebSocketUpgrader.addFrameHandlers(alice.pipeline(), MAX_MESSAGE_BYTES, new WebSocketFrameHandler(session,
                new EnvelopeHeaderParser(), new Router(relay, FromCheck.REJECT), relay, new OpenSessions()));
        relay.claimNow(session);
        relay.claimNow(bob);
    }

    @AfterEach
    void noLeftovers() {
        assertThat(alice.finishAndReleaseAll()).as("unread messages or leaked buffers").isFalse();
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /**
     * After a violation the close frame goes out and the socket keeps draining its input until
     * the client hangs up (or the deadline), so that no reset destroys the close frame.
     */
    private void assertClosedAfterViolation(int code, String reason) {
        CloseWebSocketFrame close = alice.readOutbound();
        assertThat(close.statusCode()).isEqualTo(code);
        assertThat(close.reasonText()).isEqualTo(reason);
        close.release();
        assertThat(alice.isOpen()).isTrue();
        alice.writeInbound(new TextWebSocketFrame("{\"to\":\"bob\"}"));
        assertThat(bob.deliveries()).as("nothing is relayed once closing").isEmpty();
        alice.writeInbound(new CloseWebSocketFrame(code, ""));
        assertThat(alice.isOpen()).isFalse();
    }

    /** The session's own close waits for the client's reply, then hangs up. */
    private void assertClosingHandshake(int code) {
        CloseWebSocketFrame close = alice.readOutbound();
        assertThat(close.statusCode()).isEqualTo(code);
        close.release();
        assertThat(alice.isOpen()).isTrue();
        alice.writeInbound(new CloseWebSocketFrame(code, ""));
        assertThat(alice.isOpen()).isFalse();
    }

    @Test
    void wholeAsciiMessagesPassWithoutTheValidatorAndTheAggregator() {
        alice.writeInbound(new TextWebSocketFrame("{\"to\":\"bob\",\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        alice.writeInbound(new TextWebSocketFrame("{\"to\":\"bob\",\"type\":\"candidate\"}"));

        assertThat(bob.deliveries()).containsExactly("{\"to\":\"bob\",\"type\":\"offer\",\"sdp\":\"v=0\"}",
                "{\"to\":\"bob\",\"type\":\"candidate\"}");
        assertThat(alice.pipeline().names()).as("a socket that only sent whole ASCII messages keeps neither")
                .doesNotContain(WebSocketUpgrader.UTF8_VALIDATOR, WebSocketUpgrader.AGGREGATOR);
    }

    @Test
    void theFirstNonAsciiMessageAddsTheValidatorAndTheAggregatorForGood() {
        String accented = "{\"to\":\"bob\",\"sdp\":\"caf\u00e9\"}";
        alice.writeInbound(new TextWebSocketFrame("{\"to\":\"bob\",\"n\":1}"));
        alice.writeInbound(new TextWebSocketFrame(accented));
        alice.writeInbound(new TextWebSocketFrame("{\"to\":\"bob\",\"n\":3}"));

        assertThat(bob.deliveries()).as("in order, each once")
                .containsExactly("{\"to\":\"bob\",\"n\":1}", accented, "{\"to\":\"bob\",\"n\":3}");
        List<String> names = alice.pipeline().names();
        assertThat(names).containsSubsequence(WebSocketUpgrader.UTF8_VALIDATOR, WebSocketUpgrader.AGGREGATOR,
                WebSocketUpgrader.FRAME_HANDLER);
        assertThat(alice.outboundMessages()).isEmpty();
    }

    @Test
    void reassemblesAFragmentedMessageBeforeRoutingIt() {
        String message = "{\"to\":\"bob\",\"sdp\":\"caf\u00e9 \uD83D\uDE00\"}";
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int split = message.indexOf('\u00e9') + 1;

        alice.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(bytes, 0, split)));
        assertThat(bob.deliveries()).isEmpty();
        alice.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(bytes, split, 5)));
        alice.writeInbound(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(bytes, split + 5, bytes.length - split - 5)));

        assertThat(bob.deliveries()).containsExactly(message);
        assertThat(alice.outboundMessages()).isEmpty();
    }

    @Test
    void closesWith1009WhenFragmentsTogetherPassTheLimit() {
        String half = "x".repeat(MAX_MESSAGE_BYTES / 2 + 1);

        alice.writeInbound(new TextWebSocketFrame(false, 0, utf8("{\"to\":\"bob\",\"a\":\"" + half)));
        alice.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8(half + "\"}")));

        assertClosingHandshake(1009);
        assertThat(bob.deliveries()).isEmpty();
    }

    @Test
    void acceptsAMessageOfExactlyTheLimit() {
        String prefix = "{\"to\":\"bob\",\"pad\":\"";
        String message = prefix + "x".repeat(MAX_MESSAGE_BYTES - prefix.length() - 2) + "\"}";
        assertThat(message).hasSize(MAX_MESSAGE_BYTES);

        alice.writeInbound(new TextWebSocketFrame(false, 0, utf8(message.substring(0, 100))));
        alice.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8(message.substring(100))));

        assertThat(bob.deliveries()).containsExactly(message);
    }

    @Test
    void closesWith1007OnInvalidUtf8() {
        ByteBuf invalid = Unpooled.buffer();
        invalid.writeCharSequence("{\"to\":\"bob\",\"x\":\"", StandardCharsets.US_ASCII);
        invalid.writeByte(0xC3).writeByte(0x28).writeCharSequence("\"}", StandardCharsets.US_ASCII);

        alice.writeInbound(new TextWebSocketFrame(invalid));

        assertClosedAfterViolation(1007, "invalid utf-8");
        assertThat(bob.deliveries()).isEmpty();
    }

    @Test
    void closesWith1007WhenAFragmentEndsInsideACharacter() {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);

        alice.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(euro, 0, 2)));
        alice.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER));

        assertClosedAfterViolation(1007, "invalid utf-8");
    }

    @Test
    void aClientHangingUpMidMessageIsNotLoggedAsAServerError() {
        try (CapturedLog log = new CapturedLog(WebSocketFrameHandler.class)) {
            alice.writeInbound(new TextWebSocketFrame(false, 0, utf8("{\"to\":\"bob\",")));
            alice.close();

            assertThat(log.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        }
        assertThat(relay.holds(new PeerId("alice"))).isFalse();
    }
}
