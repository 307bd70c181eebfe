package dev.rendezvous.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin port ({@code --admin-port}): {@code /metrics} and {@code /stats} on a listener of their
 * own, one event loop, off the public port, so that neither a scraper nor the internet can reach
 * the other's side. Plain HTTP, GET and HEAD only.
 */
final class AdminServer implements AutoCloseable {

    /** A scraper keeps its connection between scrapes (15 s by default); an idle one is closed after this. */
    private static final int IDLE_SECONDS = 120;

    private static final int MAX_REQUEST_BYTES = 8192;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static AdminServer start(IoTransport transport, String host, int port, Map<String, HttpEndpoint> endpoints)
            throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1, "rendezvous-admin-io");
        Dispatch dispatch = new Dispatch(Map.copyOf(endpoints));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(dispatch);
                    }
                });
        try {
            return new AdminServer(group, bootstrap.bind(host, port).sync().channel());
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Exact paths, as on the public port; everything else is 404. */
    @ChannelHandler.Sharable
    private static final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final Map<String, HttpEndpoint> endpoints;

        Dispatch(Map<String, HttpEndpoint> endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!ctx.channel().config().isAutoRead()) {
                // Pipelined behind a request still being answered: answers would overtake each other.
                ctx.close();
                return;
            }
            if (!request.decoderResult().isSuccess()) {
                HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
                return;
            }
            String uri = request.uri();
            int queryStart = uri.indexOf('?');
            String path = queryStart < 0 ? uri : uri.substring(0, queryStart);
            HttpEndpoint endpoint = endpoints.get(path);
            if (endpoint == null) {
                HttpResponses.text(ctx, request, HttpResponseStatus.NOT_FOUND, "not found: " + path);
            } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                HttpResponses.text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            } else {
                endpoint.handle(ctx, request);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
