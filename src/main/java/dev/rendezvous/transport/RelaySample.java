package dev.rendezvous.transport;

import dev.rendezvous.metrics.Metrics;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * One message whose relay latency is measured: stamped when its frame was decoded, recorded when
 * its write to the recipient's socket completes, that is once the bytes are in the kernel's send
 * buffer. Only sampled messages carry one, so only they pay for a promise and this listener.
 */
final class RelaySample implements ChannelFutureListener {

    private final long decodedAt;
    private final Metrics metrics;

    RelaySample(long decodedAt, Metrics metrics) {
        this.decodedAt = decodedAt;
        this.metrics = metrics;
    }

    @Override
    public void operationComplete(ChannelFuture written) {
        if (written.isSuccess()) {
            metrics.relayLatency(System.nanoTime() - decodedAt);
        } else if (written.channel().isRegistered()) {
            // What the void promise of every other write does with a failure.
            written.channel().pipeline().fireExceptionCaught(written.cause());
        }
    }
}
