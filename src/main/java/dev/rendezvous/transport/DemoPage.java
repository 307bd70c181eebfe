package dev.rendezvous.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo page and the browser client module, every asset served from the jar (nothing is loaded
 * from the internet), plus {@code /config.json} carrying the operator's ICE servers to the page.
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

    /**
     * @param iceServersJson a JSON array of RTCIceServer objects, checked here so that a typo in
     *                       {@code --ice-servers} fails the start instead of every call
     */
    public static Map<String, HttpEndpoint> endpoints(String iceServersJson) {
        requireJsonArray(iceServersJson);
        HttpEndpoint page = asset("index.html", HTML, PAGE_HEADERS);
        byte[] config = ("{\"iceServers\":" + iceServersJson.strip() + "}").getBytes(StandardCharsets.UTF_8);
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

    static void requireJsonArray(String json) {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("ice servers must be a JSON array, got: " + json);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("ice servers: unexpected content after the array: " + json);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ice servers are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
