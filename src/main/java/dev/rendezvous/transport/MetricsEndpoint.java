package dev.rendezvous.transport;

import dev.rendezvous.metrics.AdminConsole;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}: the registry in Prometheus text format, or OpenMetrics when the {@code Accept}
 * header prefers it, with the matching {@code Content-Type}. The scrape runs on the admin thread,
 * not on the event loop; the connection reads nothing more until the answer is written, so
 * responses keep the order of requests.
 */
final class MetricsEndpoint implements HttpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final AdminConsole console;

    MetricsEndpoint(AdminConsole console) {
        this.console = console;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpRequest held = request.retain();
        ctx.channel().config().setAutoRead(false);
        console.scrape(request.headers().get(HttpHeaderNames.ACCEPT)).whenComplete((scrape, failure) -> {
            try {
                if (failure != null) {
                    log.error("scrape failed", failure);
                    HttpResponses.text(ctx, held, HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed");
                } else {
                    HttpResponses.send(ctx, held, HttpResponseStatus.OK, scrape.format().contentType(),
                            Unpooled.wrappedBuffer(scrape.body()));
                }
            } finally {
                held.release();
                ctx.channel().config().setAutoRead(true);
            }
        });
    }
}
