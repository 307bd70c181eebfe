package dev.rendezvous.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.function.Supplier;

/**
 * The pipeline of a new connection, in its HTTP phase. The upgrade replaces the HTTP handlers
 * with the WebSocket ones (see {@link WebSocketUpgrader}).
 */
final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String HANDSHAKE_DEADLINE = "handshakeDeadline";
    static final String HTTP_CODEC = "httpCodec";
    static final String HTTP_AGGREGATOR = "httpAggregator";
    static final String HTTP_HANDLER = "httpHandler";

    /** Upgrade requests and health probes carry no body; anything larger is refused with 413. */
    private static final int MAX_HTTP_REQUEST_BYTES = 8192;

    /**
     * The request line, and the headers together: room for an ID, a session key and a grant with a
     * long {@code peers} list in the URL (Netty's default line is 4 KiB). Beyond, 414 or 431.
     */
    static final int MAX_REQUEST_LINE_BYTES = 8192;
    static final int MAX_HEADER_BYTES = 8192;

    private final long handshakeTimeoutMillis;
    private final Supplier<HttpRequestHandler> httpHandlers;

    ServerChannelInitializer(long handshakeTimeoutMillis, Supplier<HttpRequestHandler> httpHandlers) {
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.httpHandlers = httpHandlers;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(HANDSHAKE_DEADLINE, new HandshakeDeadline(handshakeTimeoutMillis))
                .addLast(HTTP_CODEC, new HttpServerCodec(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES))
                .addLast(HTTP_HANDLER, httpHandlers.get());
    }
}
