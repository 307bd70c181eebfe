package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second WebRTC engine: Chromium calls Firefox (Gecko) through Rendezvous, with audio and chat.
 * Firefox gathers no host candidate on 127.0.0.1 (not even with {@code media.peerconnection.ice.loopback}),
 * and the tests' traffic must stay on loopback, so both pages relay through a coturn on 127.0.0.1
 * ({@code ?relay=1}), with the credentials from {@code /ice-servers}.
 */
class FirefoxCallBrowserIT {

    private static final String SECRET = "firefox-turn-secret";

    private static TurnNode node;

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeInstalled();
        Firefox.assumeInstalled();
        node = TurnNode.start(SECRET, Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void chromiumCallsFirefoxWithAudioAndChatBothWays() throws Exception {
        try (Firefox firefox = Firefox.launch("firefox")) {
            firefox.navigate(node.relayDemoUrl("gecko-callee"));
            BrowserPage chromium = browsers.open("chromium-caller", node.relayDemoUrl("blink-caller"));
            chromium.awaitOnline();
            firefox.await("signaling open", f -> "open".equals(state(f, "signaling")));
            firefox.await("TURN credentials fetched", f -> !((List<?>) value(f, "window.__rendezvousDemo.iceServers()")).isEmpty());

            chromium.call("gecko-callee");

            chromium.await("call connected", page -> "connected".equals(page.callState()));
            firefox.await("call connected", f -> "connected".equals(((Map<String, Object>) state(f, "call"))
                    .get("connectionState")));
            chromium.await("chat open", BrowserPage::chatOpen);
            chromium.sendChat("hello gecko");
            firefox.await("chat from Chromium", f -> ((List<Object>) state(f, "chat"))
                    .contains(Map.of("from", "blink-caller", "text", "hello gecko")));
            firefox.evaluate("(() => { const input = document.getElementById('chat-input');"
                    + " input.value = 'hello blink'; document.getElementById('chat-form').requestSubmit(); })()");
            chromium.await("chat from Firefox",
                    page -> page.chat().contains(Map.of("from", "gecko-callee", "text", "hello blink")));
            chromium.await("audio from Firefox", page -> page.inboundAudioPackets() > 0);
            firefox.await("audio from Chromium",
                    f -> ((Number) value(f, "window.__rendezvousDemo.inboundAudioPackets()")).longValue() > 0);
            // Each side's own candidate is the one it knows for sure: relay on both sides means both
            // directions go through coturn. The peer's may show as prflx on either side, when a check
            // from the peer's relay address arrived before that candidate was signaled (seen in CI).
            Map<String, Object> gecko = (Map<String, Object>) value(firefox, "window.__rendezvousDemo.selectedPair()");
            Map<String, Object> blink = (Map<String, Object>) chromium.script(
                    "return window.__rendezvousDemo.selectedPair()");
            assertThat(gecko).as("Firefox's selected pair").containsEntry("local", "relay");
            assertThat(blink).as("Chromium's selected pair").containsEntry("local", "relay");
            assertThat(List.of(gecko.get("remote"), blink.get("remote"))).as("the peers' candidates")
                    .allMatch(type -> "relay".equals(type) || "prflx".equals(type));
        }
    }

    private static Object state(Firefox firefox, String key) {
        return ((Map<?, ?>) value(firefox, "window.__rendezvousDemo.snapshot()")).get(key);
    }

    private static Object value(Firefox firefox, String expression) {
        try {
            return firefox.evaluate(expression);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
