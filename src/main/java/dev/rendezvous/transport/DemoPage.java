package dev.rendezvous.transport;

import dev.rendezvous.protocol.IceServersJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo page and the browser client module, every asset served from the jar (nothing is loaded
 * from the internet), plus {@code /config.json} carrying the operator's ICE servers to the page and
 * whether TURN credentials are to be fetched from {@code /ice-servers}.
 */
public final class DemoPage {

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String JSON = "application/json";

    /** Same-origin everything; WebSockets may go to ws: or wss: because 'self' does not cover them in every browser. */
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            "Referrer-Policy", "no-referrer");

    private DemoPage() {
    }

    /** @param iceServersJson a JSON array of RTCIceServer objects ({@code --ice-servers}) */
    public static Map<String, HttpEndpoint> endpoints(String iceServersJson) {
        return endpoints(iceServersJson, false);
    }

    /**
     * @param turn whether {@code /ice-servers} mints TURN credentials, which pages then fetch from
     *             there (and again before they expire) instead of using {@code iceServers} alone
     */
    public static Map<String, HttpEndpoint> endpoints(String iceServersJson, boolean turn) {
        String iceServers = IceServersJson.requireArray(iceServersJson);
        HttpEndpoint page = asset("index.html", HTML, PAGE_HEADERS);
        byte[] config = ("{\"iceServers\":" + iceServers + ",\"turn\":" + turn + "}").getBytes(StandardCharsets.UTF_8);
        return Map.of(
                "/", page,
                "/index.html", page,
                "/rendezvous.js", asset("rendezvous.js", JAVASCRIPT, Map.of()),
                "/app.js", asset("app.js", JAVASCRIPT, Map.of()),
                "/style.css", asset("style.css", CSS, Map.of()),
                "/config.json", StaticAssetEndpoint.of(config, JSON, Map.of()));
    }

    private static HttpEndpoint asset(String name, String contentType, Map<String, String> headers) {
        return StaticAssetEndpoint.classpath("web/" + name, contentType, headers);
    }
}
