package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.Forwarded;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the frame handler and the session record, on {@link EmbeddedChannel}s, into a recording fake. */
class EdgeMetricsTest {

    /** Records the calls that carry a value worth asserting. */
    private static final class Recorded implements Metrics {
        final List<Long> relayLatencies = new ArrayList<>();
        final List<Long> roundTrips = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public int latencySampleEvery() {
            return 4;
        }

        @Override
        public void relayLatency(long nanos) {
            relayLatencies.add(nanos);
        }

        @Override
        public void pingRoundTrip(long nanos) {
            roundTrips.add(nanos);
        }

        @Override
        public void routed(Forwarded outcome, int bytes) {
            events.add("routed " + outcome + " " + bytes);
        }

        @Override
        public void malformed(int bytes) {
            events.add("malformed " + bytes);
        }

        @Override
        public void sent(int bytes) {
            events.add("sent " + bytes);
        }

        @Override
        public void errorSent(ErrorCode code, int bytes) {
            events.add("error " + code + " " + bytes);
        }

        @Override
        public void closed(CloseReason reason) {
            events.add("closed " + reason);
        }

        @Override
        public void closedByClient(int code) {
            events.add("client closed " + code);
        }

        @Override
        public void dropped() {
            events.add("dropped");
        }
    }

    private final Recorded metrics = new Recorded();
    private final LocalRelay relay = new LocalRelay();
    private final EmbeddedChannel aliceChannel = new EmbeddedChannel();
    private final EmbeddedChannel bobChannel = new EmbeddedChannel();
    private final WebSocketSession alice = connect("alice", aliceChannel);
    private final WebSocketSession bob = connect("bob", bobChannel);

    private WebSocketSession connect(String id, EmbeddedChannel channel) {
        WebSocketSession session = new WebSocketSession(new PeerId(id), channel, new ServerFrames(), metrics, 0);
        session.markOpen();
        channel.pipeline().addLast(new WebSocketFrameHandler(session, new EnvelopeHeaderParser(),
                new Router(relay, FromCheck.REJECT), relay, new OpenSessions()));
        relay.claimNow(session);
        return session;
    }

    @AfterEach
    void noLeftovers() {
        assertThat(aliceChannel.finishAndReleaseAll()).as("alice: unread messages or leaked buffers").isFalse();
        assertThat(bobChannel.finishAndReleaseAll()).as("bob: unread messages or leaked buffers").isFalse();
    }

    private static TextWebSocketFrame text(String json) {
        ByteBuf content = PooledByteBufAllocator.DEFAULT.directBuffer();
        content.writeCharSequence(json, StandardCharsets.UTF_8);
        return new TextWebSocketFrame(content);
    }

    private static void drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        Object written;
        while ((written = channel.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(written);
        }
    }

    @Test
    void timesTheFirstMessageOfASocketAndEveryNthAfterOnceWritten() {
        String message = "{\"to\":\"bob\"}";
        aliceChannel.writeInbound(text(message));

        assertThat(metrics.relayLatencies).as("not before the write completes").isEmpty();
        bobChannel.runPendingTasks();
        assertThat(metrics.relayLatencies).hasSize(1);
        assertThat(metrics.relayLatencies.get(0)).isPositive();

        for (int i = 0; i < 7; i++) {
            aliceChannel.writeInbound(text(message));
        }
        drain(bobChannel);
        assertThat(metrics.relayLatencies).as("messages 1, 5 (every 4th after the first)").hasSize(2);
        aliceChannel.writeInbound(text(message));
        drain(bobChannel);
        assertThat(metrics.relayLatencies).as("and 9").hasSize(3);
    }

    @Test
    void countsRoutedAndRelayedBytes() {
        String message = "{\"to\":\"bob\",\"sdp\":\"x\"}";
        aliceChannel.writeInbound(text(message));
        drain(bobChannel);

        int length = message.length();
        assertThat(metrics.events).containsExactly("sent " + length, "routed LOCAL " + length);
    }

    @Test
    void countsAnErrorFrameWithItsBytes() {
        aliceChannel.writeInbound(text("{\"to\":\"carol\"}"));

        TextWebSocketFrame error = aliceChannel.readOutbound();
        int length = error.content().readableBytes();
        error.release();
        assertThat(metrics.events).containsExactly("error PEER_UNAVAILABLE " + length, "routed REFUSED 14");
    }

    @Test
    void countsAMalformedMessage() {
        aliceChannel.writeInbound(text("nope"));

        drain(aliceChannel);
        assertThat(metrics.events).first().isEqualTo("malformed 4");
    }

    @Test
    void recordsTheRoundTripOfOurOwnPingFromItsPong() {
        long sentAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(3);
        aliceChannel.writeInbound(new PongWebSocketFrame(Unpooled.copyLong(sentAt)));

        assertThat(metrics.roundTrips).hasSize(1);
        assertThat(metrics.roundTrips.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
    }

    @Test
    void ignoresPongsThatDoNotAnswerOurPing() {
        aliceChannel.writeInbound(new PongWebSocketFrame());
        aliceChannel.writeInbound(new PongWebSocketFrame(Unpooled.copiedBuffer("heartbeat", StandardCharsets.UTF_8)));
        aliceChannel.writeInbound(new PongWebSocketFrame(Unpooled.copyLong(System.nanoTime() + 1_000_000_000L)));
        long aDayAgo = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
        aliceChannel.writeInbound(new PongWebSocketFrame(Unpooled.copyLong(aDayAgo)));

        assertThat(metrics.roundTrips).isEmpty();
    }

    @Test
    void pingsCarryTheirSendingTime() {
        long before = System.nanoTime();
        assertThat(alice.pingIfDue(before, 1)).isTrue();
        long after = System.nanoTime();

        PingWebSocketFrame ping = aliceChannel.readOutbound();
        assertThat(ping.content().readableBytes()).isEqualTo(Long.BYTES);
        assertThat(ping.content().getLong(ping.content().readerIndex())).isBetween(before, after);
        ping.release();
    }

    @Test
    void countsServerClosesClientClosesAndDroppedConnections() {
        alice.close(CloseReason.IDLE_TIMEOUT);
        bobChannel.writeInbound(new CloseWebSocketFrame(1001, "tab closed"));
        drain(aliceChannel);
        drain(bobChannel);
        EmbeddedChannel carolChannel = new EmbeddedChannel();
        connect("carol", carolChannel);
        carolChannel.close();

        assertThat(metrics.events).containsExactly("closed IDLE_TIMEOUT", "client closed 1001", "dropped");
        assertThat(carolChannel.finishAndReleaseAll()).isFalse();
    }
}
