package dev.rendezvous.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Dispatches a connection's HTTP requests by exact path: the WebSocket endpoint, or one of the
 * plain endpoints. Everything else is 404; a method the endpoint does not take (GET and HEAD, unless
 * it says otherwise) is 405.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String WEBSOCKET_PATH = "/websocket";

    private final WebSocketUpgrader upgrader;
    private final Map<String, HttpEndpoint> endpoints;
    private final BooleanSupplier draining;

    HttpRequestHandler(WebSocketUpgrader upgrader, Map<String, HttpEndpoint> endpoints, BooleanSupplier draining) {
        this.upgrader = upgrader;
        this.endpoints = endpoints;
        this.draining = draining;
    }

    HttpRequestHandler(WebSocketUpgrader upgrader, Map<String, HttpEndpoint> endpoints) {
        this(upgrader, endpoints, () -> false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!ctx.channel().config().isAutoRead()) {
            // An upgrade's claim is pending (the upgrader stops reading meanwhile), yet the decoder
            // still had a pipelined request in hand. Nothing may follow an upgrade request: hang up;
            // the pending claim sees the closed channel and gives the ID back.
            ctx.close();
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            refuseUndecodable(ctx, request, request.decoderResult().cause());
            return;
        }
        String uri = request.uri();
        int queryStart = uri.indexOf('?');
        String path = queryStart < 0 ? uri : uri.substring(0, queryStart);
        String rawQuery = queryStart < 0 ? null : uri.substring(queryStart + 1);
        boolean websocket = path.equals(WEBSOCKET_PATH) || path.equals(WEBSOCKET_PATH + "/");
        HttpEndpoint endpoint = endpoints.get(path);
        if (!websocket && endpoint == null) {
            HttpResponses.text(ctx, request, HttpResponseStatus.NOT_FOUND, "not found: " + path);
        } else if (websocket ? !HttpMethod.GET.equals(request.method()) : !endpoint.accepts(request.method())) {
            HttpResponses.text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
        } else if (websocket && draining.getAsBoolean()) {
            upgrader.refuseDraining(ctx, request);
        } else if (websocket) {
            upgrader.upgrade(ctx, request, rawQuery);
        } else {
            endpoint.handle(ctx, request);
        }
    }

    /**
     * A request Netty could not decode. An oversized request line (a 100 KB token in the URL, say)
     * or header block gets its own status; the decoder then discards the rest of what the client
     * sends, so the answer is followed by a FIN and the connection is left to the client to close
     * (or the handshake deadline): hanging up with its bytes unread would make the kernel send a
     * reset, which destroys the answer before the client reads it.
     */
    private static void refuseUndecodable(ChannelHandlerContext ctx, FullHttpRequest request, Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            HttpResponses.textThenHalfClose(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "request line longer than " + ServerChannelInitializer.MAX_REQUEST_LINE_BYTES + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            HttpResponses.textThenHalfClose(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request headers larger than " + ServerChannelInitializer.MAX_HEADER_BYTES + " bytes");
        } else {
            HttpResponses.text(ctx, request, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
