package dev.rendezvous.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

/** What an upgrade request must be before anything is claimed for it (RFC 6455 §4.2.1). */
final class UpgradeRequests {

    private UpgradeRequests() {
    }

    /** Netty's handshaker for the request's protocol version; null when it names none or one Netty lacks. */
    static WebSocketServerHandshaker handshakerFor(FullHttpRequest request, WebSocketDecoderConfig decoderConfig) {
        // Without a version Netty would assume the 2010 draft (hixie-76), which no browser speaks.
        if (!request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)) {
            return null;
        }
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost")
                + HttpRequestHandler.WEBSOCKET_PATH;
        return new WebSocketServerHandshakerFactory(location, null, decoderConfig).newHandshaker(request);
    }

    /**
     * Why the request is not an upgrade Netty's handshaker would accept (RFC 6455 4.2.1), or null.
     * Checked before the ID is claimed: the handshaker only finds out after, when a failure would
     * leave the ID bound to a connection that never becomes a WebSocket.
     */
    static String upgradeProblem(FullHttpRequest request) {
        if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
            return "a WebSocket upgrade needs HTTP/1.1";
        }
        HttpHeaders headers = request.headers();
        // Upgrade must be exactly "websocket" (Netty's handshaker does not split it); Connection is
        // a token list ("keep-alive, Upgrade" from Firefox).
        if (!headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return "expected a WebSocket upgrade";
        }
        String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || key.isBlank()) {
            return "missing Sec-WebSocket-Key";
        }
        return null;
    }
}
