package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo page with {@code --mailbox-ttl 10s} in headless Chromium: the caller presses Call before
 * the callee's page is even open; the caller sees that it waits for the callee, and the call
 * connects as soon as the callee's page comes online (its held offer is delivered on connect).
 */
class MailboxBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .mailbox(new MailboxConfig(Duration.ofSeconds(10), 32, 256 * 1024, 64L * 1024 * 1024)));

    @Test
    void aCallPlacedBeforeTheCalleesPageOpensConnectsWhenItComesOnline() {
        BrowserPage alice = browsers.open("alice", demoUrl("alice"));
        alice.awaitOnline();
        alice.call("bob");
        alice.await("waiting notice", page -> page.notice().equals("Waiting for “bob” to come online…"));
        assertThat(alice.logLines()).anyMatch(line -> line.startsWith("held until bob connects"));

        BrowserPage bob = browsers.open("bob", demoUrl("bob"));
        bob.await("call connected", page -> "connected".equals(page.callState()));
        alice.await("call connected", page -> "connected".equals(page.callState()));
        alice.await("chat open", BrowserPage::chatOpen);
        assertThat(alice.notice()).as("the waiting notice is gone").isEmpty();
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&id=" + id;
    }
}
