package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import dev.rendezvous.support.CapturedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The frame handler of an upgraded socket, fed decoded frames on an {@link EmbeddedChannel}. Two
 * sockets, alice and bob, are bound in a real {@link LocalRelay}; what the server writes to each
 * is read back from its channel's outbound queue.
 */
class WebSocketFrameHandlerTest {

    private static final long CONNECTED_AT = 42L;

    private final LocalRelay relay = new LocalRelay();
    private final OpenSessions openSessions = new OpenSessions();
    private final ServerFrames frames = new ServerFrames();
    private final EmbeddedChannel aliceChannel = new EmbeddedChannel();
    private final EmbeddedChannel bobChannel = new EmbeddedChannel();
    private final WebSocketSession alice = connect("alice", aliceChannel);
    private final WebSocketSession bob = connect("bob", bobChannel);

    private WebSocketSession connect(String id, EmbeddedChannel channel) {
        WebSocketSession session = new WebSocketSession(new PeerId(id), channel, frames, CONNECTED_AT, null);
        session.markOpen();
        channel.pipeline().addLast(WebSocketUpgrader.FRAME_HANDLER, new WebSocketFrameHandler(session,
                new EnvelopeHeaderParser(), new Router(relay, FromCheck.REJECT), relay, openSessions));
        relay.claimNow(session);
        openSessions.add(session);
        return session;
    }

    @AfterEach
    void noLeftovers() {
        assertThat(aliceChannel.finishAndReleaseAll()).as("alice: unread messages or leaked buffers").isFalse();
        assertThat(bobChannel.finishAndReleaseAll()).as("bob: unread messages or leaked buffers").isFalse();
    }

    /** A text frame in a pooled direct buffer, as Netty's decoder hands it over in production. */
    private static TextWebSocketFrame text(String json) {
        ByteBuf content = PooledByteBufAllocator.DEFAULT.directBuffer();
        content.writeCharSequence(json, StandardCharsets.UTF_8);
        return new TextWebSocketFrame(content);
    }

    private static String readText(EmbeddedChannel channel) {
        // Relayed messages are flushed at the end of the event-loop iteration, which on an
        // EmbeddedChannel means when its pending tasks run.
        channel.runPendingTasks();
        Object written = channel.readOutbound();
        assertThat(written).isInstanceOf(TextWebSocketFrame.class);
        TextWebSocketFrame frame = (TextWebSocketFrame) written;
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    private static CloseWebSocketFrame readClose(EmbeddedChannel channel) {
        Object written = channel.readOutbound();
        assertThat(written).isInstanceOf(CloseWebSocketFrame.class);
        return (CloseWebSocketFrame) written;
    }

    /** Reads the server's close frame and answers it as a browser would; the server hangs up on the reply. */
    private static void assertClosingHandshake(EmbeddedChannel channel, CloseReason reason) {
        CloseWebSocketFrame close = readClose(channel);
        try {
            assertThat(close.statusCode()).isEqualTo(reason.code());
            assertThat(close.reasonText()).isEqualTo(reason.reason());
        } finally {
            close.release();
        }
        assertThat(channel.isOpen()).as("waits for the client's close reply").isTrue();

        channel.writeInbound(new CloseWebSocketFrame(reason.code(), reason.reason()));

        assertThat(channel.outboundMessages()).as("no second close frame").isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void forwardsTheExactBytesToTheRecipientOnly() {
        String message = "{\"to\":\"bob\",\"from\":\"alice\",\"type\":\"offer\","
                + "\"sdp\":{\"sdp\":\"v=0\\r\\n \\\"q\\\" \u00e9\uD83D\uDE00\",\"to\":\"eve\"}}";

        aliceChannel.writeInbound(text(message));

        assertThat(readText(bobChannel)).isEqualTo(message);
        assertThat(aliceChannel.outboundMessages()).as("nothing back to the sender").isEmpty();
    }

    @Test
    void sharesTheReceivedBufferWithTheRecipientInsteadOfCopyingIt() {
        TextWebSocketFrame sent = text("{\"to\":\"bob\",\"n\":1}");
        ByteBuf received = sent.content();

        aliceChannel.writeInbound(sent);

        bobChannel.runPendingTasks();
        TextWebSocketFrame forwarded = bobChannel.readOutbound();
        assertThat(received.refCnt()).as("held only by the forwarded frame").isOne();
        received.setByte(received.readerIndex() + "{\"to\":\"bob\",\"n\":".length(), '7');
        assertThat(forwarded.text()).isEqualTo("{\"to\":\"bob\",\"n\":7}");
        forwarded.release();
        assertThat(received.refCnt()).isZero();
    }

    @Test
    void keepsTheOrderOfMessagesFromOneSender() {
        for (int i = 0; i < 50; i++) {
            aliceChannel.writeInbound(text("{\"to\":\"bob\",\"n\":" + i + "}"));
        }

        for (int i = 0; i < 50; i++) {
            assertThat(readText(bobChannel)).isEqualTo("{\"to\":\"bob\",\"n\":" + i + "}");
        }
    }

    @Test
    void answersMalformedJsonWithABadJsonErrorAndStaysOpen() {
        aliceChannel.writeInbound(text("{\"to\":\"bob\""));

        assertThat(readText(aliceChannel)).startsWith("{\"type\":\"error\",\"to\":\"alice\",\"error\":\"bad-json\"");
        assertThat(aliceChannel.isOpen()).isTrue();
        assertThat(bobChannel.outboundMessages()).isEmpty();

        aliceChannel.writeInbound(text("{\"to\":\"bob\"}"));
        assertThat(readText(bobChannel)).isEqualTo("{\"to\":\"bob\"}");
    }

    @Test
    void answersAMessageWithoutToWithMissingTo() {
        aliceChannel.writeInbound(text("{\"type\":\"offer\"}"));

        assertThat(readText(aliceChannel)).contains("\"error\":\"missing-to\"");
    }

    @Test
    void answersASpoofedFromWithFromMismatch() {
        aliceChannel.writeInbound(text("{\"to\":\"bob\",\"from\":\"mallory\"}"));

        assertThat(readText(aliceChannel)).contains("\"to\":\"alice\"", "\"error\":\"from-mismatch\"");
        assertThat(bobChannel.outboundMessages()).isEmpty();
    }

    @Test
    void answersAnUnknownRecipientWithPeerUnavailableNamingIt() {
        aliceChannel.writeInbound(text("{\"to\":\"carol\"}"));

        assertThat(readText(aliceChannel)).contains("\"error\":\"peer-unavailable\"").endsWith(",\"peer\":\"carol\"}");
    }

    @Test
    void closesWith1003OnABinaryFrameAndFreesTheIdOnceClosed() {
        aliceChannel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));

        assertClosingHandshake(aliceChannel, CloseReason.UNSUPPORTED_DATA);
        assertThat(CloseReason.UNSUPPORTED_DATA.code()).isEqualTo(1003);
        assertThat(relay.holds(alice.id())).as("the id is free once the socket closed").isFalse();
        assertThat(openSessions.all()).containsExactly(bob);
    }

    @Test
    void dropsTextThatArrivesWhileClosing() {
        alice.close(CloseReason.GOING_AWAY);
        readClose(aliceChannel).release();
        assertThat(aliceChannel.isOpen()).as("waiting for the client's close reply").isTrue();

        aliceChannel.writeInbound(text("{\"to\":\"bob\"}"));

        assertThat(bobChannel.outboundMessages()).isEmpty();
    }

    @Test
    void answersPingWithPongCarryingTheSamePayload() {
        aliceChannel.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("beat", StandardCharsets.US_ASCII)));

        Object written = aliceChannel.readOutbound();
        assertThat(written).isInstanceOf(PongWebSocketFrame.class);
        PongWebSocketFrame pong = (PongWebSocketFrame) written;
        assertThat(pong.content().toString(StandardCharsets.US_ASCII)).isEqualTo("beat");
        pong.release();
        assertThat(aliceChannel.isOpen()).isTrue();
    }

    @Test
    void aPongWritesNothingButCountsAsLife() {
        aliceChannel.writeInbound(new PongWebSocketFrame());

        assertThat(aliceChannel.outboundMessages()).isEmpty();
        assertThat(alice.lastInboundNanos()).isNotEqualTo(CONNECTED_AT);
    }

    @Test
    void echoesThePeersCloseFrameThenHangsUp() {
        aliceChannel.writeInbound(new CloseWebSocketFrame(1000, "done"));

        CloseWebSocketFrame echo = readClose(aliceChannel);
        assertThat(echo.statusCode()).isEqualTo(1000);
        assertThat(echo.reasonText()).isEqualTo("done");
        echo.release();
        assertThat(aliceChannel.isOpen()).isFalse();
        assertThat(relay.holds(alice.id())).isFalse();
    }

    @Test
    void closesWith1009WhenTheAggregatorReportsATooLongMessage() {
        aliceChannel.pipeline().fireExceptionCaught(new TooLongFrameException("over 65536 bytes"));

        assertClosingHandshake(aliceChannel, CloseReason.MESSAGE_TOO_BIG);
        assertThat(CloseReason.MESSAGE_TOO_BIG.code()).isEqualTo(1009);
    }

    /** Neither the decoder nor the UTF-8 validator closes by itself: the handler sends the code. */
    @ParameterizedTest
    @CsvSource({"1002, protocol error", "1007, invalid utf-8", "1009, message too big"})
    void answersAFrameViolationWithItsCloseCodeAndDrains(int code, String reason) {
        aliceChannel.pipeline().fireExceptionCaught(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.valueOf(code), "netty's own words"));

        CloseWebSocketFrame close = aliceChannel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(code);
        assertThat(close.reasonText()).isEqualTo(reason);
        close.release();
        assertThat(aliceChannel.isOpen()).as("open until the client hangs up or the deadline").isTrue();
    }

    @Test
    void anyOtherCorruptFrameIsAProtocolError() {
        aliceChannel.pipeline().fireExceptionCaught(new CorruptedFrameException("unexpected"));

        CloseWebSocketFrame close = aliceChannel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1002);
        close.release();
    }

    @Test
    void closesQuietlyOnAConnectionError() {
        aliceChannel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertThat(aliceChannel.outboundMessages()).isEmpty();
        assertThat(aliceChannel.isOpen()).isFalse();
    }

    @Test
    void closesWith1011AndLogsAnErrorOnAnUnexpectedFailure() {
        try (CapturedLog log = new CapturedLog(WebSocketFrameHandler.class)) {
            aliceChannel.pipeline().fireExceptionCaught(new IllegalStateException("bug"));

            assertClosingHandshake(aliceChannel, CloseReason.INTERNAL_ERROR);
            assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR);
        }
    }

    @Test
    void releasesTheIdAndForgetsTheSessionWhenTheSocketGoesAway() {
        aliceChannel.close();

        assertThat(relay.holds(alice.id())).isFalse();
        assertThat(relay.holds(bob.id())).isTrue();
        assertThat(openSessions.all()).containsExactly(bob);
    }

    @Test
    void recordsInboundActivityOnEveryFrame() {
        aliceChannel.writeInbound(text("{\"to\":\"bob\"}"));

        assertThat(alice.lastInboundNanos()).isNotEqualTo(CONNECTED_AT);
        readText(bobChannel);
    }

    @Test
    void passesOnMessagesThatAreNotFrames() {
        aliceChannel.writeInbound("not a frame");

        Object passedOn = aliceChannel.readInbound();
        assertThat(passedOn).isEqualTo("not a frame");
    }
}
