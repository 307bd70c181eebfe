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
 * A call that can only connect through TURN ({@code ?relay=1}: iceTransportPolicy "relay"), with
 * the credentials the pages fetched from {@code /ice-servers}, through a real coturn on 127.0.0.1;
 * and the module fetching fresh credentials before the old ones expire.
 */
class TurnRelayBrowserIT {

    private static final String SECRET = "browser-turn-secret";

    private static TurnNode node;

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumeInstalled();
        node = TurnNode.start(SECRET, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRelayOnlyCallConnectsThroughCoturnWithCredentialsFromIceServers() {
        BrowserPage alice = browsers.open("relay-alice", node.relayDemoUrl("relay-alice"));
        BrowserPage bob = browsers.open("relay-bob", node.relayDemoUrl("relay-bob"));
        alice.awaitOnline();
        bob.awaitOnline();
        for (BrowserPage page : List.of(alice, bob)) {
            page.await("TURN credentials fetched", p -> !((List<?>) p.script(
                    "return window.__rendezvousDemo.iceServers()")).isEmpty());
            Map<String, Object> turn = ((List<Map<String, Object>>) page.script(
                    "return window.__rendezvousDemo.iceServers()")).get(0);
            assertThat(turn.get("urls")).isEqualTo(List.of(node.turnUri()));
            assertThat((String) turn.get("username")).matches("[0-9]+:" + page.name());
        }

        alice.call("relay-bob");

        alice.await("call connected", page -> "connected".equals(page.callState()));
        bob.await("call connected", page -> "connected".equals(page.callState()));
        alice.await("chat open", BrowserPage::chatOpen);
        alice.sendChat("through the relay");
        bob.await("chat arrived", page -> page.chat().contains(Map.of("from", "relay-alice", "text", "through the relay")));
        // Each side's own candidate is relay, so both directions go through coturn. The peer's may be
        // learned as prflx, when its check from the relay address arrives before its candidate.
        for (BrowserPage page : List.of(alice, bob)) {
            Map<String, Object> pair = (Map<String, Object>) page.script("return window.__rendezvousDemo.selectedPair()");
            assertThat(pair).as(page.name()).containsEntry("local", "relay");
            assertThat(pair.get("remote")).as(page.name()).isIn("relay", "prflx");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theModuleFetchesFreshCredentialsBeforeTheyExpireAndUpdatesThePeerConnection() {
        BrowserPage page = browsers.open("refresh", node.relayDemoUrl("refresh-page"));
        page.awaitOnline();

        Map<String, Object> result = (Map<String, Object>) page.script("""
                return (async () => {
                  const { IceServers } = await import('/rendezvous.js');
                  // A minute's credentials, fetched again after 2% of it (1.2 s).
                  const servers = new IceServers('sha-256 AB:CD', { refreshAt: 0.02 });
                  const usernames = [];
                  const pc = new RTCPeerConnection();
                  const first = await servers.load();
                  usernames.push(first[0].username);
                  servers.attach(pc);
                  await new Promise((resolve) => servers.addEventListener('update', resolve, { once: true }));
                  usernames.push(servers.current[0].username);
                  servers.stop();
                  const configured = pc.getConfiguration().iceServers[0].username;
                  pc.close();
                  return { usernames, configured, lifetime: servers.expiresAt - Date.now() };
                })()""");

        List<String> usernames = (List<String>) result.get("usernames");
        assertThat(usernames).hasSize(2).allMatch(name -> name.matches("[0-9]+:b64\\.c2hhLTI1NiBBQjpDRA"));
        long firstExpiry = Long.parseLong(usernames.get(0).split(":")[0]);
        long secondExpiry = Long.parseLong(usernames.get(1).split(":")[0]);
        assertThat(secondExpiry).as("a new credential, not the cached one").isGreaterThan(firstExpiry);
        assertThat(result.get("configured")).as("the peer connection got it").isEqualTo(usernames.get(1));
        assertThat(((Number) result.get("lifetime")).longValue()).isBetween(50_000L, 60_000L);
    }
}
