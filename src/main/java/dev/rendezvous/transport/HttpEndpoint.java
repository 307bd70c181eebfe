package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

/** One plain-HTTP path of the server (health, demo assets, metrics). Runs on the event loop: never block. */
@FunctionalInterface
public interface HttpEndpoint {

    void handle(ChannelHandlerContext ctx, FullHttpRequest request);

    /** The methods it answers; any other gets 405. */
    default boolean accepts(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }
}
