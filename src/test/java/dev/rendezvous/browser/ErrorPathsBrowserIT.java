package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a person sees when the other side is absent, when their ID is taken, and when the server restarts. */
class ErrorPathsBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();



    @Test
    void callingAnAbsentIdSaysNobodyIsConnected() {
        BrowserPage page = browsers.open("caller", demoUrl("lonely"));
        page.awaitOnline();

        page.call("nobody-here");

        page.await("unavailable notice", p -> p.notice().contains("Nobody is connected as “nobody-here”"));
        page.await("call ended", p -> "idle".equals(p.callState()));
        assertThat(page.text("notice")).isEqualTo("Nobody is connected as “nobody-here”.");
        assertThat(page.state("signaling")).isEqualTo("open");
    }

    @Test
    void aSecondPageWithATakenIdSaysIdInUse() {
        BrowserPage holder = browsers.open("holder", demoUrl("taken"));
        holder.awaitOnline();

        BrowserPage second = browsers.open("second", demoUrl("taken"));

        second.await("ID in use notice", p -> p.notice().startsWith("ID in use"));
        assertThat(second.text("signaling-status")).isEqualTo("ID in use");
        assertThat(second.state("signaling")).isEqualTo("closed");
        assertThat(holder.state("signaling")).isEqualTo("open");
    }

    @Test
    void theModuleReconnectsByItselfAfterAServerRestart() throws Exception {
        BrowserPage page = browsers.open("restarted", demoUrl("survivor"));
        page.awaitOnline();
        int port = server.port();

        server.stop();
        page.await("drop noticed", p -> !"open".equals(p.state("signaling")));
        // Not the notice: it already shows the failed reconnect if the page retried meanwhile.
        assertThat(page.logLines()).contains("closed 1001 server going away (restart or shutdown)");
        server.restartOnSamePort();

        page.await("reconnected", p -> "open".equals(p.state("signaling")) && ((Number) p.state("opens")).intValue() == 2);
        try (TestClient sameId = TestClient.connect(port, "survivor")) {
            assertThat(sameId.awaitClose().code()).as("the new server holds the page's ID").isEqualTo(4409);
        }
    }

    @Test
    void serverErrorFramesArriveAsTypedEventsAndTheSocketStaysOpen() {
        BrowserPage page = browsers.open("errors", demoUrl("page"));
        page.awaitOnline();

        Object events = page.script("""
                return (async () => {
                  const { RendezvousClient, ServerErrorEvent } = await import('/rendezvous.js');
                  const client = new RendezvousClient('error-collector');
                  await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }));
                  const next = (type) => new Promise((resolve) => client.addEventListener(type, resolve, { once: true }));
                  const unavailable = next('peer-unavailable');
                  client.send('absent', 'offer', 'v=0');
                  const first = await unavailable;
                  const missingTo = next('missing-to');
                  client.send(undefined, 'offer', 'v=0');
                  const second = await missingTo;
                  return [
                    { error: first.error, peer: first.peer, typed: first instanceof ServerErrorEvent },
                    { error: second.error, peer: second.peer ?? 'none', typed: second instanceof ServerErrorEvent },
                    client.state,
                  ];
                })()""");

        assertThat(events).isEqualTo(List.of(
                Map.of("error", "peer-unavailable", "peer", "absent", "typed", true),
                Map.of("error", "missing-to", "peer", "none", "typed", true),
                "open"));
    }

    @Test
    void anOversizedMessageClosesWith1009AndIsNotRetried() {
        BrowserPage page = browsers.open("oversized", demoUrl("page"));
        page.awaitOnline();

        Object close = page.script("""
                return (async () => {
                  const { RendezvousClient } = await import('/rendezvous.js');
                  const client = new RendezvousClient('big-sender', { initialDelayMs: 50 });
                  await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }));
                  const closed = new Promise((resolve) => client.addEventListener('close', resolve, { once: true }));
                  client.send('page', 'offer', 'x'.repeat(70000));
                  const event = await closed;
                  return { code: event.code, reason: event.reason, willReconnect: event.willReconnect, state: client.state };
                })()""");

        // The state is read after the close was fully handled: a retry would show "reconnecting".
        assertThat(close).isEqualTo(Map.of(
                "code", 1009L, "reason", "message too big", "willReconnect", false, "state", "closed"));
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&id=" + id;
    }
}
