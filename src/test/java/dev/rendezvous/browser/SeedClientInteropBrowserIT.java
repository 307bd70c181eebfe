package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed document's raw WebSocket client, on a page from another origin, calls the demo page
 * (which uses /rendezvous.js): the two speak the same protocol, and the raw client's
 * "message mixup" check never fires.
 */
class SeedClientInteropBrowserIT {

    /** Shaped like the IDs the seed's users have: a certificate fingerprint with colons. */
    private static final String SEED_ID = "3A:91:5C:0E:7B:D2:44:19:AF:60:E8:05:C3:7D:12:9B";
    private static final String SEED_PAGE = "/seed-client.html";

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    private TestPages pages;

    @BeforeEach
    void servePages() {
        pages = TestPages.serve(SEED_PAGE, "browser/seed-client.html");
    }

    @AfterEach
    void stopPages() {
        if (pages != null) {
            pages.close();
        }
    }

    @Test
    void seedRawClientCallsTheModulePage() {
        BrowserPage module = browsers.open("module", "http://127.0.0.1:" + server.port() + "/?loopback=1&id=callee");
        module.awaitOnline();

        BrowserPage seed = browsers.open("seed", pages.url(SEED_PAGE) + "?server=127.0.0.1:" + server.port()
                + "&id=" + SEED_ID + "&peer=callee");

        seed.await("raw client connected", page -> "connected".equals(page.text("state")));
        module.await("module page connected", page -> "connected".equals(page.callState()));
        module.await("chat from the raw client",
                page -> page.chat().contains(Map.of("from", SEED_ID, "text", "hello from the seed client")));
        module.await("audio from the raw client", page -> page.inboundAudioPackets() > 0);
        assertThat(seed.script("return window.mixup")).isEqualTo(false);
    }
}
