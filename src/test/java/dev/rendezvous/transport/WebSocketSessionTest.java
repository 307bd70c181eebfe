package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.ByteArrayPayload;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.FakePeerSession;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.SignalError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketSessionTest {

    private static final int HIGH_WATER_MARK = 4096;
    private static final String MESSAGE = "{\"to\":\"bob\",\"sdp\":\"" + "x".repeat(500) + "\"}";
    /**
     * How far the queue may pass the high water mark: the write that crosses it is accepted whole,
     * then the close frame follows; Netty counts up to 96 bytes of bookkeeping per queued write.
     */
    private static final int MAX_QUEUED_BYTES = HIGH_WATER_MARK + MESSAGE.length() + 2 * 96 + 32;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final WebSocketSession session = new WebSocketSession(new PeerId("bob"), channel, new ServerFrames(), 0, null);

    {
        session.markOpen();
    }

    @AfterEach
    void noLeftovers() {
        assertThat(channel.finishAndReleaseAll()).as("unread messages or leaked buffers").isFalse();
    }

    private static ByteArrayPayload payload(String json) {
        return new ByteArrayPayload(json.getBytes(StandardCharsets.UTF_8));
    }

    private String readText() {
        // Deliveries are flushed at the end of the event-loop iteration: here, when tasks run.
        channel.runPendingTasks();
        TextWebSocketFrame frame = channel.readOutbound();
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    private final DiscardedWrites discarded = new DiscardedWrites();

    /**
     * Counts writes failed because the connection was cut while they were queued. Deliveries use
     * the void promise, so Netty reports such failures as exceptions on the pipeline; in production
     * the frame handler closes quietly on them.
     */
    private static final class DiscardedWrites extends ChannelInboundHandlerAdapter {
        int count;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ClosedChannelException) {
                count++;
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    private StalledReader stallReads() {
        StalledReader stalled = new StalledReader();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK));
        channel.pipeline().addFirst(StalledReader.NAME, stalled);
        channel.pipeline().addLast(discarded);
        return stalled;
    }

    private long queuedBytes() {
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        return queue == null ? 0 : queue.totalPendingWriteBytes();
    }

    @Test
    void deliversACopiedPayloadAsOneTextFrame() {
        assertThat(session.deliver(payload(MESSAGE))).isEqualTo(DeliveryResult.QUEUED);

        assertThat(readText()).isEqualTo(MESSAGE);
    }

    @Test
    void deliversASharedBufferAndLeavesTheCallersReferenceToTheCaller() {
        ByteBuf received = Unpooled.copiedBuffer(MESSAGE, StandardCharsets.UTF_8);

        assertThat(session.deliver(new ByteBufPayload(received))).isEqualTo(DeliveryResult.QUEUED);

        assertThat(received.refCnt()).isEqualTo(2);
        assertThat(received.release()).isFalse();
        assertThat(readText()).isEqualTo(MESSAGE);
        assertThat(received.refCnt()).isZero();
    }

    @Test
    void sendsErrorFramesAddressedToItsOwnId() {
        session.sendError(SignalError.peerUnavailable("carol", "nobody is connected as that id"));

        assertThat(readText()).isEqualTo("{\"type\":\"error\",\"to\":\"bob\",\"error\":\"peer-unavailable\","
                + "\"detail\":\"nobody is connected as that id\",\"peer\":\"carol\"}");
    }

    @Test
    void closesOnceWithItsReasonThenRefusesDeliveries() {
        session.close(CloseReason.IDLE_TIMEOUT);
        session.close(CloseReason.GOING_AWAY);

        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(4408);
        assertThat(close.reasonText()).isEqualTo("idle timeout");
        close.release();
        assertThat(channel.outboundMessages()).as("a single close frame").isEmpty();
        assertThat(channel.isOpen()).as("open until the client replies or the deadline passes").isTrue();
        assertThat(session.deliver(payload(MESSAGE))).isEqualTo(DeliveryResult.CLOSED);
        assertThat(session.sendError(SignalError.of(ErrorCode.BAD_JSON, "x"))).isEqualTo(DeliveryResult.CLOSED);
    }

    @Test
    void refusesDeliveryOnAChannelThatIsAlreadyGone() {
        channel.close();

        assertThat(session.deliver(payload(MESSAGE))).isEqualTo(DeliveryResult.CLOSED);
        assertThat(channel.outboundMessages()).isEmpty();
    }

    @Test
    void pingsOnlyOncePerIntervalAndNotWhileClosing() {
        long interval = TimeUnit.SECONDS.toNanos(20);

        assertThat(session.pingIfDue(interval - 1, interval)).isFalse();
        assertThat(session.pingIfDue(interval, interval)).isTrue();
        assertThat(session.pingIfDue(interval + 1, interval)).isFalse();
        PingWebSocketFrame ping = channel.readOutbound();
        ping.release();

        session.close(CloseReason.GOING_AWAY);
        assertThat(session.pingIfDue(3 * interval, interval)).isFalse();
        CloseWebSocketFrame close = channel.readOutbound();
        close.release();
    }

    @Test
    void closesWith1013AtTheOutboundBoundInsteadOfQueueingWithoutLimit() {
        StalledReader stalled = stallReads();

        int queued = 0;
        DeliveryResult result;
        while ((result = session.deliver(payload(MESSAGE))) == DeliveryResult.QUEUED) {
            queued++;
            assertThat(queued).as("deliveries before the bound").isLessThan(MAX_QUEUED_BYTES / MESSAGE.length());
        }
        assertThat(result).isEqualTo(DeliveryResult.OVERLOADED);
        assertThat(channel.isWritable()).isFalse();
        long queuedAtBound = queuedBytes();

        for (int i = 0; i < 10_000; i++) {
            assertThat(session.deliver(payload(MESSAGE))).isEqualTo(DeliveryResult.CLOSED);
        }
        assertThat(queuedBytes()).as("nothing more is queued once over the bound").isEqualTo(queuedAtBound);
        assertThat(queuedBytes()).isLessThanOrEqualTo(MAX_QUEUED_BYTES);

        stalled.resume(channel.pipeline().context(stalled));
        for (int i = 0; i < queued; i++) {
            assertThat(readText()).isEqualTo(MESSAGE);
        }
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1013);
        assertThat(close.reasonText()).isEqualTo(CloseReason.TOO_SLOW.reason());
        close.release();
        channel.advanceTimeBy(WebSocketSession.FORCE_CLOSE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("cut at the deadline if the client never replies").isFalse();
    }

    @Test
    void cutsTheConnectionOfAPeerThatNeverReadsItsCloseFrame() {
        stallReads();
        channel.freezeTime();
        int queued = 0;
        while (session.deliver(payload(MESSAGE)) == DeliveryResult.QUEUED) {
            queued++;
            assertThat(queued).as("deliveries before the bound").isLessThan(MAX_QUEUED_BYTES / MESSAGE.length());
        }
        assertThat(queued).isPositive();

        channel.advanceTimeBy(WebSocketSession.FORCE_CLOSE_AFTER_MILLIS - 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("still draining before the deadline").isTrue();

        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(discarded.count).as("queued messages and the close frame dropped with the connection")
                .isEqualTo(queued + 1);
    }

    @Test
    void anOverloadedRecipientCostsTheSenderAPeerUnavailableNotAStall() {
        stallReads();
        LocalRelay relay = new LocalRelay();
        FakePeerSession alice = new FakePeerSession("alice");
        relay.claimNow(alice);
        relay.claimNow(session);

        for (int i = 0; i < 100; i++) {
            relay.forward(alice, session.id(), payload(MESSAGE));
        }

        assertThat(alice.errors()).isNotEmpty().extracting(SignalError::code).containsOnly(ErrorCode.PEER_UNAVAILABLE);
        assertThat(alice.errors()).hasSizeLessThan(100);
        assertThat(queuedBytes()).isLessThanOrEqualTo(MAX_QUEUED_BYTES);
    }

    @Test
    void refusesDeliveriesUntilTheUpgradeHasFinished() {
        EmbeddedChannel upgrading = new EmbeddedChannel();
        WebSocketSession pending = new WebSocketSession(new PeerId("carol"), upgrading, new ServerFrames(), 0, null);

        assertThat(pending.deliver(payload("{\"to\":\"carol\"}"))).isEqualTo(DeliveryResult.CONNECTING);
        assertThat(upgrading.outboundMessages()).as("nothing written on a channel that is still HTTP").isEmpty();

        pending.markOpen();
        assertThat(pending.deliver(payload("{\"to\":\"carol\"}"))).isEqualTo(DeliveryResult.QUEUED);
        assertThat(upgrading.finishAndReleaseAll()).isTrue();
    }
}
