package dev.rendezvous.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writing plain HTTP responses; keep-alive is honoured when the client asks for it. */
final class HttpResponses {

    private HttpResponses() {
    }

    static void text(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        send(ctx, request, status, "text/plain; charset=utf-8",
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String contentType, ByteBuf body) {
        send(ctx, request, status, contentType, body, Map.of());
    }

    /** With extra headers, which replace the defaults of the same name. */
    static void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String contentType, ByteBuf body, Map<String, String> headers) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        int length = body.readableBytes();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : body);
        if (head) {
            body.release();
        }
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set("X-Content-Type-Options", "nosniff");
        headers.forEach(response.headers()::set);
        if (status.code() != HttpResponseStatus.NO_CONTENT.code()) {
            HttpUtil.setContentLength(response, length);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && status.code() < 400;
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
