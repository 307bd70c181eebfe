package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two browser profiles open the demo page and make a real audio call with chat through the server. */
class DemoCallBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    private TestServer server;

    @BeforeEach
    void startServer() throws InterruptedException {
        server = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoProfilesCallEachOtherWithAudioAndChat() {
        BrowserPage alice = browsers.open("alice", demoUrl("alice"));
        BrowserPage bob = browsers.open("bob", demoUrl("bob"));
        alice.awaitOnline();
        bob.awaitOnline();

        alice.call("bob");

        alice.await("call connected", page -> "connected".equals(page.callState()));
        bob.await("call connected", page -> "connected".equals(page.callState()));
        alice.await("chat open", BrowserPage::chatOpen);
        bob.await("chat open", BrowserPage::chatOpen);

        alice.sendChat("hello bob");
        bob.await("chat from alice", page -> page.chat().contains(Map.of("from", "alice", "text", "hello bob")));
        bob.sendChat("hi alice");
        alice.await("chat from bob", page -> page.chat().contains(Map.of("from", "bob", "text", "hi alice")));

        bob.await("audio packets from alice", page -> page.inboundAudioPackets() > 0);
        alice.await("microphone meter moves", page -> ((Number) page.state("peakMicLevel")).doubleValue() > 0);
        bob.await("microphone meter moves", page -> ((Number) page.state("peakMicLevel")).doubleValue() > 0);
        // No ICE servers are configured, so only host candidates exist; a candidate may still show as
        // peer-reflexive when its connectivity check arrived before its signaling message.
        bob.await("selected ICE pair shown", page -> page.text("ice-pair").matches("(host|prflx) ↔ (host|prflx) \\(udp\\)"));
        assertThat(alice.text("call-state")).contains("connected");
        DemoScreenshot.saveIfRequested(alice, bob);
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&id=" + id;
    }
}
