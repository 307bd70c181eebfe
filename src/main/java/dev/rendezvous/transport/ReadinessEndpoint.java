package dev.rendezvous.transport;

import dev.rendezvous.signaling.Relay;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code /readyz}: whether a load balancer should send new connections here. 503 with a one-line
 * reason while draining or while the relay cannot serve (cluster mode with Redis unreachable);
 * 200 {@code ready} otherwise. Unlike {@code /healthz}, not-ready is no reason to restart the node.
 */
final class ReadinessEndpoint implements HttpEndpoint {

    private final BooleanSupplier draining;
    private final Relay relay;

    ReadinessEndpoint(BooleanSupplier draining, Relay relay) {
        this.draining = draining;
        this.relay = relay;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (draining.getAsBoolean()) {
            HttpResponses.text(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "draining");
        } else if (!relay.ready()) {
            HttpResponses.text(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "cluster directory unreachable");
        } else {
            HttpResponses.text(ctx, request, HttpResponseStatus.OK, "ready");
        }
    }
}
