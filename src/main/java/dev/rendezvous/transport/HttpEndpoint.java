package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** One plain-HTTP path of the server (health, demo assets, metrics). Runs on the event loop: never block. */
@FunctionalInterface
public interface HttpEndpoint {

    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
