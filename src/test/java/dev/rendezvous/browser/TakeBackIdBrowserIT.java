package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WindowType;

/**
 * Taking back one's own ID in real Chromium: a page reloaded mid-call while its old socket is
 * still open on the node (the network went silent, so its close never arrived) is back online
 * under the same ID at once, with no "ID in use", and calls again; a second tab given the first
 * one's session key (as "Duplicate tab" does) takes the ID over, and the first page says so.
 */
class TakeBackIdBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    private StallingProxy proxy;

    @BeforeEach
    void proxy() throws Exception {
        proxy = new StallingProxy(server.port());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + proxy.port() + "/?loopback=1&id=" + id;
    }

    @Test
    void aPageReloadedMidCallIsBackUnderItsIdAtOnceAndCallsAgain() throws Exception {
        BrowserPage alice = browsers.open("alice", demoUrl("alice"));
        BrowserPage bob = browsers.open("bob", demoUrl("bob"));
        alice.awaitOnline();
        bob.awaitOnline();
        alice.call("bob");
        alice.await("call connected", page -> "connected".equals(page.callState()));
        bob.await("call connected", page -> "connected".equals(page.callState()));

        proxy.stallWebSockets("alice");
        alice.driver().navigate().refresh();

        alice.await("back online", page -> "open".equals(page.state("signaling")));
        assertThat(alice.state("id")).isEqualTo("alice");
        assertThat(alice.notice()).doesNotContain("ID in use");
        assertThat(alice.logLines()).noneMatch(line -> line.contains("4409"));
        alice.await("the call is dialled again", page -> "connected".equals(page.callState()));
        bob.await("the call is up again", page -> "connected".equals(page.callState()) && page.logLines().stream()
                .anyMatch(line -> line.contains("alice reloaded")));
        alice.await("chat open", BrowserPage::chatOpen);
        alice.sendChat("back again");
        bob.await("chat after the reload", page -> page.chat().contains(java.util.Map.of("from", "alice",
                "text", "back again")));
        try (TestClient other = TestClient.connect(server.port(), "alice")) {
            assertThat(other.awaitClose().code()).as("the reloaded page holds the ID").isEqualTo(4409);
        }
    }

    @Test
    void aTabWithTheSameSessionKeyTakesTheIdAndTheFirstPageSaysSo() {
        BrowserPage first = browsers.open("first", demoUrl("shared"));
        first.awaitOnline();
        String key = (String) first.script("return sessionStorage.getItem('rendezvous.session-key')");
        assertThat(key).matches("[A-Za-z0-9_-]{43}");

        first.driver().switchTo().newWindow(WindowType.TAB);
        first.driver().get("http://127.0.0.1:" + proxy.port() + "/healthz");
        first.script("sessionStorage.setItem('rendezvous.session-key', '" + key + "')");
        first.driver().get(demoUrl("shared"));
        first.awaitOnline();
        List<String> tabs = List.copyOf(first.driver().getWindowHandles());

        first.driver().switchTo().window(tabs.get(0));
        first.await("taken over", page -> page.notice().startsWith("Another tab or device took over “shared”"));
        assertThat(first.text("signaling-status")).isEqualTo("taken over");
        assertThat(first.state("lastClose")).asString().contains("4410");
        assertThat(first.logLines()).contains("closed 4410 replaced: another tab or device now uses this ID");
    }

    @Test
    void aNewTabWithoutTheKeyStillSeesIdInUse() {
        BrowserPage first = browsers.open("first", demoUrl("mine"));
        first.awaitOnline();
        first.driver().switchTo().newWindow(WindowType.TAB);
        first.driver().get(demoUrl("mine"));
        first.await("ID in use", page -> page.notice().startsWith("ID in use"));
        List<String> tabs = List.copyOf(first.driver().getWindowHandles());
        first.driver().switchTo().window(tabs.get(0));
        first.awaitOnline();
    }
}
