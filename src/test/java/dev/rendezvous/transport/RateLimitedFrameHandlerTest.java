package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.RefusalCause;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message rate on the frame handler: a slow rate (one token per 100 s) so that the test's own
 * pace never refills a bucket; the burst is what a client may send at once.
 */
class RateLimitedFrameHandlerTest {

    private static final int BURST = 4;

    private final LocalRelay relay = new LocalRelay();
    private final OpenSessions openSessions = new OpenSessions();
    private final List<RefusalCause> refusals = new ArrayList<>();
    private final ConnectionGate gate = new ConnectionGate(
            AccessConfig.DEFAULT.withLimits(new LimitsConfig(0, 0, 0, 0, 0.01, BURST)), 100, refusals::add);
    private final EmbeddedChannel aliceChannel = new EmbeddedChannel();
    private final EmbeddedChannel bobChannel = new EmbeddedChannel();
    private final WebSocketSession alice = connect("alice", aliceChannel);

    {
        connect("bob", bobChannel);
    }

    private WebSocketSession connect(String id, EmbeddedChannel channel) {
        WebSocketSession session = new WebSocketSession(new PeerId(id), channel, new ServerFrames(), 0, null);
        session.markOpen();
        channel.pipeline().addLast(WebSocketUpgrader.FRAME_HANDLER, new RateLimitedFrameHandler(session,
                new EnvelopeHeaderParser(), new Router(relay, FromCheck.REJECT), relay, openSessions,
                gate.messageRate(), System.nanoTime()));
        relay.claimNow(session);
        session.boundIn(relay);
        openSessions.add(session);
        return session;
    }

    @AfterEach
    void noLeftovers() {
        assertThat(aliceChannel.finishAndReleaseAll()).as("alice: unread messages or leaked buffers").isFalse();
        assertThat(bobChannel.finishAndReleaseAll()).as("bob: unread messages or leaked buffers").isFalse();
    }

    private void aliceSends(int messages) {
        for (int i = 0; i < messages; i++) {
            TextWebSocketFrame frame = new TextWebSocketFrame(PooledByteBufAllocator.DEFAULT.directBuffer());
            frame.content().writeCharSequence("{\"to\":\"bob\",\"n\":" + i + "}", StandardCharsets.UTF_8);
            aliceChannel.writeInbound(frame);
        }
        aliceChannel.runPendingTasks();
        bobChannel.runPendingTasks();
    }

    /** Everything the channel was sent, text frames as their text, close frames as "close CODE REASON". */
    private static List<String> written(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        Object frame;
        while ((frame = channel.readOutbound()) != null) {
            if (frame instanceof TextWebSocketFrame text) {
                out.add(text.text());
            } else if (frame instanceof CloseWebSocketFrame close) {
                out.add("close " + close.statusCode() + " " + close.reasonText());
            }
            io.netty.util.ReferenceCountUtil.release(frame);
        }
        return out;
    }

    @Test
    void forwardsTheBurstThenAnswersEachMessageOverItWithOneErrorFrame() {
        aliceSends(BURST + BURST - 1);

        assertThat(written(bobChannel)).hasSize(BURST).allMatch(m -> m.startsWith("{\"to\":\"bob\""));
        assertThat(written(aliceChannel)).hasSize(BURST - 1).allSatisfy(frame -> assertThat(frame)
                .contains("\"error\":\"rate-limited\"").contains("\"to\":\"alice\""));
        assertThat(alice.isClosing()).isFalse();
        assertThat(refusals).hasSize(BURST - 1).containsOnly(RefusalCause.MESSAGE_RATE);
    }

    @Test
    void closesWith1008AtTheRefusalThatFillsTheBurstAndIgnoresTheRest() {
        aliceSends(BURST + BURST + 10);

        assertThat(written(bobChannel)).hasSize(BURST);
        List<String> toAlice = written(aliceChannel);
        assertThat(toAlice).hasSize(BURST + 1);
        assertThat(toAlice.subList(0, BURST)).allMatch(frame -> frame.contains("\"error\":\"rate-limited\""));
        assertThat(toAlice.get(BURST)).isEqualTo("close 1008 rate limit");
        assertThat(relay.holds(alice.id())).as("the ID is freed as closing starts").isFalse();
        assertThat(refusals).hasSize(BURST);

        aliceChannel.writeInbound(new CloseWebSocketFrame(CloseReason.RATE_LIMIT.code(), "rate limit"));
        assertThat(aliceChannel.isOpen()).isFalse();
    }

    /**
     * Error frames go through the socket's outbound bound like everything else: a flooder that
     * never reads is closed with 1013 (too slow) long before it could make the server queue one
     * frame per message without limit, and never gets more than one frame per message it sent.
     */
    @Test
    void aFlooderThatDoesNotReadIsClosedAsTooSlow() {
        int burst = 100;
        ConnectionGate lenient = new ConnectionGate(
                AccessConfig.DEFAULT.withLimits(new LimitsConfig(0, 0, 0, 0, 0.01, burst)), 100, refusals::add);
        EmbeddedChannel flooderChannel = new EmbeddedChannel();
        flooderChannel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        flooderChannel.pipeline().addFirst(StalledReader.NAME, new StalledReader());
        WebSocketSession flooder = new WebSocketSession(new PeerId("flooder"), flooderChannel, new ServerFrames(), 0,
                null);
        flooder.markOpen();
        flooderChannel.pipeline().addLast(WebSocketUpgrader.FRAME_HANDLER, new RateLimitedFrameHandler(flooder,
                new EnvelopeHeaderParser(), new Router(relay, FromCheck.REJECT), relay, openSessions,
                lenient.messageRate(), System.nanoTime()));
        int sent = 0;
        while (!flooder.isClosing() && sent < 2 * burst) {
            TextWebSocketFrame frame = new TextWebSocketFrame(PooledByteBufAllocator.DEFAULT.directBuffer());
            frame.content().writeCharSequence("{\"to\":\"bob\"}", StandardCharsets.UTF_8);
            flooderChannel.writeInbound(frame);
            sent++;
        }
        bobChannel.runPendingTasks();
        assertThat(written(bobChannel)).hasSize(burst);
        flooderChannel.pipeline().remove(StalledReader.NAME);
        flooderChannel.flush();
        List<String> frames = written(flooderChannel);
        assertThat(frames.get(frames.size() - 1)).as("closed as too slow, before 1008").isEqualTo("close 1013 too slow");
        List<String> errors = frames.subList(0, frames.size() - 1);
        assertThat(errors).allMatch(frame -> frame.contains("\"error\":\"rate-limited\""));
        assertThat(errors.size()).as("at most one per refused message, and only a bound's worth")
                .isLessThanOrEqualTo(sent - burst).isLessThan(burst / 2);
        assertThat(flooderChannel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void withoutARateTheNodeUsesThePlainHandler() {
        ConnectionGate open = new ConnectionGate(AccessConfig.DEFAULT, 100, refusals::add);
        assertThat(open.messageRate()).isNull();
    }
}
