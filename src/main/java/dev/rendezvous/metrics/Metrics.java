package dev.rendezvous.metrics;

import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.Forwarded;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.IntSupplier;

/**
 * What the transport records at its edges, by intent. Every method is cheap and never blocks (the
 * per-message ones add to a striped counter), and may be called from any thread. {@link #OFF},
 * for {@code --metrics off}, records nothing; {@link PrometheusMetrics} is the real one.
 */
public interface Metrics {

    Metrics OFF = new Metrics() {
    };

    /** Binds the gauges of what the transport holds: upgraded sockets and the IDs bound on this node. */
    default void watch(IntSupplier openSockets, IntSupplier heldIds) {
    }

    /** Binds Netty's buffer allocator and the event loops (pending tasks). */
    default void watchNetty(ByteBufAllocatorMetricProvider allocator, Iterable<EventExecutor> eventLoops) {
    }

    default void upgraded(UpgradeResult result) {
    }

    /** A client's text message was routed, with the core's outcome. */
    default void routed(Forwarded outcome, int bytes) {
    }

    /** A client's text message could not be parsed as an envelope. */
    default void malformed(int bytes) {
    }

    /** A relayed message was queued to a client's socket. */
    default void sent(int bytes) {
    }

    /** An error frame was queued to a client's socket. */
    default void errorSent(ErrorCode code, int bytes) {
    }

    /** The server began closing a WebSocket with {@code reason}. */
    default void closed(CloseReason reason) {
    }

    /** The client began the closing handshake with {@code code}. */
    default void closedByClient(int code) {
    }

    /** The connection of a WebSocket ended without a closing handshake. */
    default void dropped() {
    }

    /** One message in this many per socket is timed from decode to its write; 0: none. */
    default int latencySampleEvery() {
        return 0;
    }

    /** A sampled message's time from decoded to written to the recipient's socket. */
    default void relayLatency(long nanos) {
    }

    /** A ping's time from sent to its pong read. */
    default void pingRoundTrip(long nanos) {
    }
}
