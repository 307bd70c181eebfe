package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /rendezvous.js} and the demo page in WebKit (WebKitGTK's MiniBrowser, the engine of
 * Safari), for everything that needs no RTCPeerConnection, which Debian's build lacks: a
 * fingerprint ID, messages relayed to and from Chromium byte for byte, close codes and server
 * error frames as the documented events, reconnecting after a restart, the demo page's state.
 * Each close code is one small method over {@link #closeSeenInWebKit} or {@link #typedCloseSeenInWebKit}.
 */
class WebKitBrowserIT {

    private static final String WEBKIT_ID = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
    private static final String CHROMIUM_ID = "sha-256 98:76:54:32:10:FE:DC:BA:98:76:54:32:10:FE:DC:BA";

    private static WebKit.Display display;

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    @BeforeAll
    static void startDisplay() throws Exception {
        WebKit.assumeInstalled();
        display = WebKit.Display.start();
    }

    @AfterAll
    static void stopDisplay() throws InterruptedException {
        if (display != null) {
            display.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFingerprintIdRelaysOfferAnswerAndCandidatesToAndFromChromiumByteForByte() throws Exception {
        BrowserPage webkit = browsers.openWebKit("webkit", demoUrl("webkit-demo"), display);
        BrowserPage chromium = browsers.open("chromium", demoUrl("chromium-demo"));
        webkit.awaitOnline();
        chromium.awaitOnline();
        startCollector(webkit, WEBKIT_ID);
        startCollector(chromium, CHROMIUM_ID);

        // What a WebKit page sends in a call: SDP text, then trickled candidate objects.
        sendFrom(webkit, CHROMIUM_ID, "offer", "'v=0\\r\\no=- 46117317 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n\u00e9'");
        sendFrom(webkit, CHROMIUM_ID, "candidate",
                "{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }");
        sendFrom(chromium, WEBKIT_ID, "answer", "'v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n'");
        sendFrom(chromium, WEBKIT_ID, "candidate", "{ candidate: '', sdpMid: '0', sdpMLineIndex: 0 }");

        chromium.await("two messages from WebKit", p -> received(p).size() == 2);
        webkit.await("two messages from Chromium", p -> received(p).size() == 2);
        assertThat(texts(received(chromium))).isEqualTo(texts(sent(webkit)));
        assertThat(texts(received(webkit))).isEqualTo(texts(sent(chromium)));
        assertThat(received(webkit)).extracting(m -> m.get("type")).containsExactly("answer", "candidate");
        assertThat(received(webkit)).allSatisfy(m -> assertThat(m.get("peer")).isEqualTo(CHROMIUM_ID));
        assertThat(received(chromium)).allSatisfy(m -> assertThat(m.get("peer")).isEqualTo(WEBKIT_ID));
    }

    @Test
    void anIdInUseIs4409AndNotRetried() throws Exception {
        try (TestClient holder = TestClient.connect(server.port(), "held-in-webkit")) {
            Map<String, Object> close = closeSeenInWebKit("held-in-webkit", "");
            assertThat(close).containsEntry("code", 4409L)
                    .containsEntry("reason", "ID in use: another connection holds this ID")
                    .containsEntry("willReconnect", false).containsEntry("state", "closed");
            assertThat(holder.isOpen()).isTrue();
        }
    }

    @Test
    void anotherTabTakingTheIdIs4410ReportedAsReplacedAndNotRetried() throws Exception {
        String key = "webkit-tab-session-key-0123";
        Map<String, Object> seen = typedCloseSeenInWebKit("replaced-in-webkit", "replaced",
                "{ sessionKey: '" + key + "', initialDelayMs: 50 }",
                () -> TestClient.connect(TestClient.uri(server.port(), "replaced-in-webkit", "session=" + key)));
        assertThat(seen).containsEntry("code", 4410L).containsEntry("typed", true)
                .containsEntry("willReconnect", false).containsEntry("state", "closed");
        assertThat((String) seen.get("reason")).startsWith("replaced");
    }

    @Test
    void aNodeThatNeedsAGrantIs4401ReportedAsUnauthorizedAndNotRetried() throws Exception {
        try (TestServer grants = TestServer.start(TestServer.config()
                .auth(AuthConfig.NONE.withSecrets(List.of(Grants.SECRET))).build())) {
            String url = "ws://127.0.0.1:" + grants.port() + "/websocket/?finger=unauthorized-in-webkit";
            Map<String, Object> seen = typedCloseSeenInWebKit("unauthorized-in-webkit", "unauthorized",
                    "{ url: '" + url + "', initialDelayMs: 50 }", null);
            assertThat(seen).containsEntry("code", 4401L).containsEntry("typed", true)
                    .containsEntry("serverReason", "token missing")
                    .containsEntry("willReconnect", false).containsEntry("state", "closed");
        }
    }

    @Test
    void aMessageOverTheLimitIs1009AndNotRetried() throws Exception {
        Map<String, Object> close = closeSeenInWebKit("big-in-webkit",
                "client.send('big-in-webkit', 'offer', 'x'.repeat(70000));");
        assertThat(close).containsEntry("code", 1009L).containsEntry("reason", "message too big")
                .containsEntry("willReconnect", false).containsEntry("state", "closed");
    }

    @Test
    void serverErrorFramesArriveAsTypedEventsAndTheSocketStaysOpen() throws Exception {
        BrowserPage page = browsers.openWebKit("webkit-errors", demoUrl("webkit-errors-page"), display);
        page.awaitOnline();
        page.script("""
                window.__errors = [];
                import('/rendezvous.js').then(({ RendezvousClient, ServerErrorEvent }) => {
                  const client = new RendezvousClient('webkit-error-collector');
                  window.__errorClient = client;
                  const record = (e) => window.__errors.push(
                      { type: e.type, error: e.error, peer: e.peer ?? 'none', typed: e instanceof ServerErrorEvent });
                  for (const type of ['server-error', 'peer-unavailable', 'missing-to']) client.addEventListener(type, record);
                  client.addEventListener('open', () => {
                    client.send('absent-peer', 'offer', 'v=0');
                    client.send(undefined, 'offer', 'v=0');
                  }, { once: true });
                });
                """);

        page.await("four error events", p -> ((Number) p.script("return window.__errors.length")).intValue() == 4);
        assertThat(page.script("return window.__errors")).isEqualTo(List.of(
                Map.of("type", "server-error", "error", "peer-unavailable", "peer", "absent-peer", "typed", true),
                Map.of("type", "peer-unavailable", "error", "peer-unavailable", "peer", "absent-peer", "typed", true),
                Map.of("type", "server-error", "error", "missing-to", "peer", "none", "typed", true),
                Map.of("type", "missing-to", "error", "missing-to", "peer", "none", "typed", true)));
        assertThat(page.script("return window.__errorClient.state")).isEqualTo("open");
    }

    @Test
    void theClientReconnectsByItselfAfterTheServerRestarts() throws Exception {
        BrowserPage page = browsers.openWebKit("webkit-restart", demoUrl("webkit-survivor"), display);
        page.awaitOnline();

        server.stop();
        page.await("drop noticed", p -> !"open".equals(p.state("signaling")));
        assertThat(page.logLines()).contains("closed 1001 server going away (restart or shutdown)");
        server.restartOnSamePort();

        page.await("reconnected", p -> "open".equals(p.state("signaling")) && ((Number) p.state("opens")).intValue() == 2);
        try (TestClient sameId = TestClient.connect(server.port(), "webkit-survivor")) {
            assertThat(sameId.awaitClose().code()).as("the new server holds the page's ID").isEqualTo(4409);
        }
    }

    @Test
    void theDemoPageLoadsAndShowsItsState() throws Exception {
        BrowserPage page = browsers.openWebKit("webkit-demo-page", demoUrl(WEBKIT_ID), display);

        page.awaitOnline();
        assertThat(page.text("signaling-status")).isEqualTo("online");
        assertThat(page.driver().findElement(org.openqa.selenium.By.id("own-id")).getAttribute("value")).isEqualTo(WEBKIT_ID);
        assertThat(page.script("return document.body.dataset.signaling")).isEqualTo("open");
        assertThat(page.logLines()).contains("connected as " + WEBKIT_ID);
        assertThat(page.text("call-state")).isEqualTo("idle");

        page.call("nobody-there");
        page.await("a notice for the call that cannot start", p -> p.notice().startsWith("This browser has no WebRTC"));
        assertThat(page.state("signaling")).as("signaling survives a call attempt").isEqualTo("open");
    }

    /**
     * Opens a WebKit page, connects a client as {@code id}, runs {@code afterOpen} (with
     * {@code client} in scope) once it is open, and returns its first close event with the state
     * after it was handled. A socket refused at once (4409) may close before it ever opens.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> closeSeenInWebKit(String id, String afterOpen) throws Exception {
        BrowserPage page = browsers.openWebKit("webkit-close", demoUrl("webkit-close-page-" + System.nanoTime()), display);
        page.awaitOnline();
        page.script("""
                window.__close = null;
                import('/rendezvous.js').then(({ RendezvousClient }) => {
                  const client = new RendezvousClient('%s', { initialDelayMs: 50 });
                  client.addEventListener('open', () => { %s }, { once: true });
                  client.addEventListener('close', (e) => setTimeout(() => {
                    window.__close = { code: e.code, reason: e.reason, willReconnect: e.willReconnect, state: client.state };
                  }), { once: true });
                });
                """.formatted(id, afterOpen));
        page.await("a close event", p -> p.script("return window.__close") != null);
        return (Map<String, Object>) page.script("return window.__close");
    }

    /** Something the test does from outside the page once its client is open (a newcomer's socket). */
    @FunctionalInterface
    private interface Intrusion {
        AutoCloseable run() throws Exception;
    }

    /**
     * A client with {@code options} in WebKit, then (once open, when given) {@code intrusion} from
     * outside; returns its close event and whether the typed event {@code typed} fired before it.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> typedCloseSeenInWebKit(String id, String typed, String options, Intrusion intrusion)
            throws Exception {
        String pageId = "webkit-" + typed + "-page-" + System.nanoTime();
        BrowserPage page = browsers.openWebKit("webkit-" + typed, demoUrl(pageId), display);
        page.awaitOnline();
        page.script("""
                window.__close = null; window.__typed = false; window.__open = false;
                import('/rendezvous.js').then(({ RendezvousClient }) => {
                  const client = new RendezvousClient('%s', %s);
                  client.addEventListener('open', () => { window.__open = true; }, { once: true });
                  client.addEventListener('%s', () => { window.__typed = true; });
                  client.addEventListener('close', (e) => setTimeout(() => {
                    window.__close = { code: e.code, reason: e.reason, serverReason: e.serverReason,
                                       willReconnect: e.willReconnect, state: client.state, typed: window.__typed };
                  }), { once: true });
                });
                """.formatted(id, options, typed));
        AutoCloseable intruder = null;
        try {
            if (intrusion != null) {
                page.await("the client open", p -> Boolean.TRUE.equals(p.script("return window.__open")));
                intruder = intrusion.run();
            }
            page.await("a close event", p -> p.script("return window.__close") != null);
            return (Map<String, Object>) page.script("return window.__close");
        } finally {
            if (intruder != null) {
                intruder.close();
            }
        }
    }

    private static void startCollector(BrowserPage page, String id) {
        page.script("""
                window.__relay = { sent: [], received: [], client: null };
                import('/rendezvous.js').then(({ RendezvousClient }) => {
                  const client = new RendezvousClient('%s');
                  client.addEventListener('sent', (e) => window.__relay.sent.push({ data: e.data, type: e.signalType }));
                  client.addEventListener('message', (e) => window.__relay.received.push(
                      { data: e.data, type: e.signalType, peer: e.peer }));
                  client.addEventListener('open', () => { window.__relay.client = client; }, { once: true });
                });
                """.formatted(id));
        page.await("collector open as " + id, p -> Boolean.TRUE.equals(p.script("return window.__relay.client !== null")));
    }

    private static void sendFrom(BrowserPage page, String to, String type, String sdpExpression) {
        page.script("window.__relay.client.send('" + to + "', '" + type + "', " + sdpExpression + ")");
    }

    /** The messages as sent: the exact text, and the type. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sent(BrowserPage page) {
        return ((List<Map<String, Object>>) page.script("return window.__relay.sent"));
    }

    private static List<Object> texts(List<Map<String, Object>> messages) {
        return messages.stream().map(message -> message.get("data")).toList();
    }

    /** The messages as received, with the sender the client read from them. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> received(BrowserPage page) {
        return ((List<Map<String, Object>>) page.script("return window.__relay.received"));
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?id=" + java.net.URLEncoder.encode(id,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
