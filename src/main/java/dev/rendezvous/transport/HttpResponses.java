package dev.rendezvous.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
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
        text(ctx, request, status, body, 0);
    }

    /** A text answer with {@code Retry-After} (in seconds; 0 for none). */
    static void text(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body,
            long retryAfterSeconds) {
        send(ctx, request, status, "text/plain; charset=utf-8",
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8),
                retryAfterSeconds > 0 ? Map.of("Retry-After", Long.toString(retryAfterSeconds)) : Map.of());
    }

    /** A one-line answer, then FIN; the connection stays readable (input is discarded) until the client closes. */
    static void textThenHalfClose(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
    }

    /** 401 with the challenge RFC 9110 requires, for a bearer token that is missing or wrong. */
    static void unauthorized(ChannelHandlerContext ctx, FullHttpRequest request, String realm) {
        byte[] text = "invalid admin token\n".getBytes(StandardCharsets.UTF_8);
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.UNAUTHORIZED, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setContentLength(response, text.length);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
