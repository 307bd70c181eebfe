package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/** {@code /healthz}: liveness only. 200 {@code ok} while serving, 503 once shutdown has begun. */
final class HealthEndpoint implements HttpEndpoint {

    private final BooleanSupplier draining;

    HealthEndpoint(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (draining.getAsBoolean()) {
            HttpResponses.text(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down");
        } else {
            HttpResponses.text(ctx, request, HttpResponseStatus.OK, "ok");
        }
    }
}
