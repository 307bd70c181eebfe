package dev.rendezvous.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The browser module's API as docs/BROWSER.md documents it, run in Chromium against a real node. */
class ClientModuleBrowserIT {

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    @Test
    @SuppressWarnings("unchecked")
    void idsStatesSendingEventsAndCloseWorkAsDocumented() {
        BrowserPage page = browsers.open("api", demoUrl("api-page"));
        page.awaitOnline();

        Map<String, Object> result = (Map<String, Object>) page.script("""
                return (async () => {
                  const { RendezvousClient, validateId, describeClose } = await import('/rendezvous.js');
                  const out = {};
                  out.validEmpty = validateId('') !== null;
                  out.validLong = validateId('x'.repeat(257)) !== null;
                  out.validControl = validateId('a\\u0001b') !== null;
                  out.validFingerprint = validateId('sha-256 AB:CD:EF');
                  try { new RendezvousClient(''); out.constructorThrows = 'no'; }
                  catch (e) { out.constructorThrows = e.constructor.name; }

                  const states = [];
                  const a = new RendezvousClient('api-a');
                  a.addEventListener('statechange', (e) => states.push(e.state));
                  try { a.send('api-b', 'offer', 'v=0'); out.sendBeforeOpen = 'sent'; }
                  catch (e) { out.sendBeforeOpen = e.message; }
                  const b = new RendezvousClient('api-b');
                  const opened = (c) => new Promise(
                      (r) => c.state === 'open' ? r() : c.addEventListener('open', r, { once: true }));
                  await Promise.all([opened(a), opened(b)]);

                  const sent = new Promise((r) => a.addEventListener('sent', r, { once: true }));
                  const offer = new Promise((r) => b.addEventListener('offer', r, { once: true }));
                  const message = new Promise((r) => b.addEventListener('message', r, { once: true }));
                  out.size = a.send('api-b', 'offer', 'v=0 \\u00e9');
                  const s = await sent;
                  const o = await offer;
                  const m = await message;
                  out.sent = { size: s.size, type: s.signalType, data: s.data };
                  out.offer = { peer: o.peer, type: o.signalType, data: o.data, size: o.size, sdp: o.message.sdp };
                  out.messageIsTheSame = m.data === o.data;

                  a.close();
                  out.stateAfterClose = a.state;
                  out.states = states;
                  // close() sends 1000 and frees the ID at once: another client takes it.
                  // 'open' fires on the 101 even for a socket refused with 4409 right after: only
                  // a socket that holds the ID gets its own message back.
                  const again = new RendezvousClient('api-a');
                  await opened(again);
                  const echoed = new Promise((r) => again.addEventListener('message', () => r('bound'), { once: true }));
                  const refused = new Promise((r) => again.addEventListener('close', (e) => r('closed ' + e.code), { once: true }));
                  again.send('api-a', 'probe');
                  out.idFreeAfterClose = await Promise.race([echoed, refused]);
                  again.close();
                  b.close();

                  out.describe = [4400, 4499, 4500, 3000, 1009, 1013].map((code) => describeClose(code).reconnect);
                  return out;
                })()""");

        assertThat(result).containsEntry("validEmpty", true).containsEntry("validLong", true)
                .containsEntry("validControl", true).containsEntry("constructorThrows", "TypeError");
        assertThat(result.get("validFingerprint")).isNull();
        assertThat(result.get("sendBeforeOpen")).asString().startsWith("not connected");
        String data = "{\"to\":\"api-b\",\"from\":\"api-a\",\"type\":\"offer\",\"sdp\":\"v=0 \u00e9\"}";
        long size = data.getBytes(StandardCharsets.UTF_8).length;
        assertThat(result).containsEntry("size", size);
        assertThat(result.get("sent")).isEqualTo(Map.of("size", size, "type", "offer", "data", data));
        assertThat(result.get("offer")).isEqualTo(
                Map.of("peer", "api-a", "type", "offer", "data", data, "size", size, "sdp", "v=0 \u00e9"));
        assertThat(result).containsEntry("messageIsTheSame", true).containsEntry("stateAfterClose", "closed")
                .containsEntry("idFreeAfterClose", "bound");
        assertThat((List<Object>) result.get("states")).containsExactly("connecting", "open", "closed");
        assertThat((List<Object>) result.get("describe")).containsExactly(false, false, true, true, false, true);
    }

    /**
     * While the server is down every attempt fails; the wait before attempt n is drawn from
     * [ceiling/2, ceiling] with a ceiling of initialDelayMs·2^(n-1), capped at maxDelayMs. When the
     * server is back the client opens by itself.
     */
    @Test
    @SuppressWarnings("unchecked")
    void reconnectsWithACappedJitteredBackoffUntilTheServerIsBack() throws Exception {
        BrowserPage page = browsers.open("backoff", demoUrl("backoff-page"));
        page.awaitOnline();
        page.script("""
                return (async () => {
                  const { RendezvousClient } = await import('/rendezvous.js');
                  const client = new RendezvousClient('backoff', { initialDelayMs: 100, maxDelayMs: 400 });
                  window.__backoff = { client, reconnecting: [], closes: [] };
                  client.addEventListener('reconnecting',
                      (e) => window.__backoff.reconnecting.push([e.attempt, e.delayMs]));
                  client.addEventListener('close', (e) => window.__backoff.closes.push(e.code));
                  await new Promise((r) => client.addEventListener('open', r, { once: true }));
                })()""");

        server.stop();
        page.await("five failed attempts", p -> ((Number) p.script(
                "return window.__backoff.reconnecting.length")).intValue() >= 5);
        server.restartOnSamePort();
        page.await("open again", p -> "open".equals(p.script("return window.__backoff.client.state")));

        List<List<Number>> attempts = (List<List<Number>>) page.script("return window.__backoff.reconnecting");
        List<Number> closes = (List<Number>) page.script("return window.__backoff.closes");
        assertThat(closes.get(0).intValue()).as("the server said going away").isEqualTo(1001);
        for (int i = 0; i < 5; i++) {
            int attempt = attempts.get(i).get(0).intValue();
            long delay = attempts.get(i).get(1).longValue();
            long ceiling = Math.min(400, 100L << i);
            assertThat(attempt).isEqualTo(i + 1);
            assertThat(delay).as("delay before attempt %d", attempt).isBetween(ceiling / 2, ceiling);
        }
    }

    private String demoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&id=" + id;
    }
}
