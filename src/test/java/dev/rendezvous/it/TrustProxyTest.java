package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.CidrRange;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * --trust-proxy 127.0.0.1 with one socket per client: a connection from 127.0.0.1 plays a trusted
 * reverse proxy, one from 127.0.0.2 a client that writes X-Forwarded-For itself. The address the
 * node took is read from its DEBUG line "peer=… connected from …" and from whose limit a socket counts.
 */
class TrustProxyTest {

    private static final String UPGRADER = "dev.rendezvous.transport.WebSocketUpgrader";

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config().access(new AccessConfig(
            List.of(OriginPattern.parse("*")), List.of(CidrRange.parse("127.0.0.1/32")),
            new LimitsConfig(0, 1, 0, 0, 0, 0))));

    private final List<RawWebSocket> open = new ArrayList<>();
    private CapturedLog log;

    @BeforeEach
    void captureConnects() {
        log = new CapturedLog(UPGRADER, Level.DEBUG);
    }

    @AfterEach
    void closeAll() throws Exception {
        log.close();
        for (RawWebSocket socket : open) {
            socket.close();
        }
    }

    private RawWebSocket connect(String from, String id, String... headers) throws Exception {
        RawWebSocket socket = RawWebSocket.openFrom(InetAddress.getByName(from), server.port(),
                "/websocket/?finger=" + id, headers);
        open.add(socket);
        return socket;
    }

    /** Where the node says {@code id} connected from: the address, and " via proxy" when forwarded. */
    private String connectedFrom(String id) throws Exception {
        String prefix = "peer=" + id + " connected from ";
        Await.until(() -> log.messages().stream().anyMatch(m -> m.startsWith(prefix)), id + "'s connect line");
        String line = log.messages().stream().filter(m -> m.startsWith(prefix)).findFirst().orElseThrow();
        return line.substring(prefix.length()).replaceAll(" via /127\\.0\\.0\\.1:\\d+$", " via proxy");
    }

    @Test
    void aTrustedProxyNamesTheClient() throws Exception {
        assertThat(connect("127.0.0.1", "p1", "X-Forwarded-For: 198.51.100.7").upgraded()).isTrue();
        assertThat(connectedFrom("p1")).isEqualTo("198.51.100.7 via proxy");
    }

    @Test
    void takesTheRightmostAddressThatIsNotAProxyOfTheList() throws Exception {
        connect("127.0.0.1", "p1", "X-Forwarded-For: 203.0.113.9, 198.51.100.8", "X-Forwarded-For: 127.0.0.1");
        assertThat(connectedFrom("p1")).isEqualTo("198.51.100.8 via proxy");
    }

    @Test
    void ignoresForwardedForFromAPeerThatIsNoTrustedProxy() throws Exception {
        connect("127.0.0.1", "p1", "X-Forwarded-For: 198.51.100.7");
        RawWebSocket spoofer = connect("127.0.0.2", "spoofer", "X-Forwarded-For: 198.51.100.9");
        assertThat(spoofer.upgraded()).isTrue();
        assertThat(connectedFrom("spoofer")).isEqualTo("127.0.0.2");
        // Claiming to be the proxied client does not take its share either.
        RawWebSocket second = connect("127.0.0.2", "spoofer-2", "X-Forwarded-For: 198.51.100.7");
        assertThat(second.statusLine()).startsWith("HTTP/1.1 429 ");
    }

    @Test
    void aMalformedForwardedForMakesTheProxyTheClient() throws Exception {
        connect("127.0.0.1", "p1", "X-Forwarded-For: 198.51.100.7, unknown");
        assertThat(connectedFrom("p1")).isEqualTo("127.0.0.1");
    }

    @Test
    void thePerAddressLimitCountsTheForwardedClient() throws Exception {
        assertThat(connect("127.0.0.1", "c1", "X-Forwarded-For: 198.51.100.7").upgraded()).isTrue();
        assertThat(connect("127.0.0.1", "c2", "X-Forwarded-For: 198.51.100.7").statusLine())
                .startsWith("HTTP/1.1 429 ");
        assertThat(connect("127.0.0.1", "c3", "X-Forwarded-For: 198.51.100.8").upgraded()).as("another client")
                .isTrue();
        assertThat(connect("127.0.0.1", "c4").upgraded()).as("the proxy's own connection").isTrue();
        assertThat(connect("127.0.0.1", "c5", "X-Forwarded-For: 2001:db8:1:2::1").upgraded()).isTrue();
        assertThat(connect("127.0.0.1", "c6", "X-Forwarded-For: 2001:db8:1:2::2").statusLine())
                .as("same /64").startsWith("HTTP/1.1 429 ");

        open.get(0).close();
        Await.until(() -> {
            RawWebSocket again = connect("127.0.0.1", "c7", "X-Forwarded-For: 198.51.100.7");
            return again.upgraded();
        }, "198.51.100.7 is admitted again once its socket closed");
    }
}
