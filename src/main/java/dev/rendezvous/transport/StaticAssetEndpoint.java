package dev.rendezvous.transport;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One fixed asset held in memory: read once at start, so serving never touches the disk or the
 * class loader on the event loop. Its path is a key in an explicit map, so no request can name any
 * other file. The ETag with {@code no-cache} lets browsers revalidate cheaply and never run a stale
 * client after an upgrade.
 */
final class StaticAssetEndpoint implements HttpEndpoint {

    private final byte[] body;
    private final String contentType;
    private final String etag;
    private final Map<String, String> extraHeaders;

    private StaticAssetEndpoint(byte[] body, String contentType, Map<String, String> extraHeaders) {
        this.body = body.clone();
        this.contentType = contentType;
        this.etag = '"' + digest(body) + '"';
        this.extraHeaders = Map.copyOf(extraHeaders);
    }

    static StaticAssetEndpoint of(byte[] body, String contentType, Map<String, String> extraHeaders) {
        return new StaticAssetEndpoint(body, contentType, extraHeaders);
    }

    /** Loads a resource that ships in the jar; a missing one is a packaging bug and fails the start. */
    static StaticAssetEndpoint classpath(String resource, String contentType, Map<String, String> extraHeaders) {
        try (InputStream in = StaticAssetEndpoint.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing web asset on the classpath: " + resource);
            }
            return new StaticAssetEndpoint(in.readAllBytes(), contentType, extraHeaders);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web asset " + resource, e);
        }
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean notModified = etag.equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean withBody = !notModified && !HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                withBody ? Unpooled.wrappedBuffer(body) : Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set("X-Content-Type-Options", "nosniff");
        if (!notModified) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(response, body.length);
            extraHeaders.forEach(response.headers()::set);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
