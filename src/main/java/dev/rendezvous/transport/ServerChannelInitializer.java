package dev.rendezvous.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Supplier;

/**
 * The pipeline of a new connection, in its HTTP phase. The upgrade replaces the HTTP handlers
 * with the WebSocket ones (see {@link WebSocketUpgrader}). With TLS on, the TLS handler comes
 * first and stays for the connection's life; the context is read once per connection, so a reload
 * changes only the handshakes that start after it.
 */
final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String TLS = "tls";
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
    private final Supplier<SslContext> tls;

    /** @param tls the context for new connections; null serves plain HTTP */
    ServerChannelInitializer(long handshakeTimeoutMillis, Supplier<HttpRequestHandler> httpHandlers,
            Supplier<SslContext> tls) {
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.httpHandlers = httpHandlers;
        this.tls = tls;
    }

    ServerChannelInitializer(long handshakeTimeoutMillis, Supplier<HttpRequestHandler> httpHandlers) {
        this(handshakeTimeoutMillis, httpHandlers, null);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (tls != null) {
            SslHandler handler = tls.get().newHandler(ch.alloc());
            // The handshake deadline below bounds the TLS handshake too (it runs from the connect
            // until the upgrade): one timer per connection instead of two.
            handler.setHandshakeTimeoutMillis(0);
            ch.pipeline().addLast(TLS, handler);
        }
        ch.pipeline()
                .addLast(HANDSHAKE_DEADLINE, new HandshakeDeadline(handshakeTimeoutMillis))
                .addLast(HTTP_CODEC, new HttpServerCodec(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES))
                .addLast(HTTP_HANDLER, httpHandlers.get());
    }
}
