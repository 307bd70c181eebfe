package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The demo page in real browsers: a call with audio and chat between two profiles, and the own ID. */
class DemoPageBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();



    @Test
    void twoProfilesCallEachOtherWithAudioAndChatThenHangUp() {
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
        alice.await("received audio shown", page -> page.text("audio-in").matches("[1-9][0-9]* packets"));
        bob.await("received audio shown", page -> page.text("audio-in").matches("[1-9][0-9]* packets"));
        DemoScreenshot.saveIfRequested(alice, bob);

        alice.driver().findElement(By.id("hangup")).click();
        alice.await("call ended", page -> "idle".equals(page.callState()));
        bob.await("hang-up seen by the other side", page -> "idle".equals(page.callState()));
        assertThat(bob.text("call-state")).isEqualTo("ended: alice hung up");
    }

    @Test
    void theOwnIdIsRandomRememberedAndEditable() {
        BrowserPage page = browsers.open("own-id", "http://127.0.0.1:" + server.port() + "/");
        page.awaitOnline();
        String random = (String) page.state("id");
        assertThat(random).matches("[a-z]+-[a-z]+-[0-9]{2}");

        page.driver().navigate().refresh();
        page.awaitOnline();
        assertThat(page.state("id")).as("remembered in localStorage").isEqualTo(random);

        WebElement own = page.driver().findElement(By.id("own-id"));
        own.clear();
        own.sendKeys("renamed", Keys.ENTER);
        page.await("online as the new ID", p -> "renamed".equals(p.state("id")) && "open".equals(p.state("signaling")));
        assertThat(page.script("return localStorage.getItem('rendezvous.id')")).isEqualTo("renamed");
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&id=" + id;
    }
}
