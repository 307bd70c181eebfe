package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.rendezvous.admission.RefusalLog;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --allowed-origins over real sockets: 403 before any upgrade or claim for the pages of other sites. */
class OriginsTest {

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config().access(new AccessConfig(
            Stream.of("https://app.example.com", "https://*.example.org", "http://localhost:8080")
                    .map(OriginPattern::parse).toList(), List.of(), LimitsConfig.DEFAULT)));

    @RegisterExtension
    static final NodeUnderTest anyOrigin = new NodeUnderTest();

    private static HttpProbe.Response upgrade(int port, String id, String... headers) throws Exception {
        try (HttpProbe probe = new HttpProbe(port)) {
            String[] all = Stream.concat(Stream.of(HttpProbe.UPGRADE_HEADERS), Stream.of(headers))
                    .toArray(String[]::new);
            return probe.request("GET", "/websocket/?finger=" + id, all);
        }
    }

    @ParameterizedTest(name = "Origin: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://app.example.com       | 101
            https://APP.Example.com       | 101
            https://app.example.com:443   | 101
            https://a.example.org         | 101
            https://a.b.example.org       | 101
            http://localhost:8080         | 101
            https://example.org           | 403
            https://evil.example          | 403
            http://app.example.com        | 403
            https://app.example.com:8443  | 403
            http://localhost              | 403
            null                          | 403
            https://app.example.com/      | 403
            """)
    void admitsOnlyTheListedOrigins(String origin, int status) throws Exception {
        assertThat(upgrade(server.port(), "origin-probe", "Origin: " + origin).status()).isEqualTo(status);
    }

    @Test
    void aRequestWithoutOriginIsNoBrowserAndIsAdmitted() throws Exception {
        try (TestClient client = TestClient.connect(server.port(), "no-origin")) {
            client.send("{\"to\":\"no-origin\"}");
            assertThat(client.receive()).isEqualTo("{\"to\":\"no-origin\"}");
        }
    }

    @Test
    void refusesWith403AndAOneLineBodyThenHangsUpWithoutClaimingTheId() throws Exception {
        try (HttpProbe probe = new HttpProbe(server.port())) {
            String[] headers = Stream.concat(Stream.of(HttpProbe.UPGRADE_HEADERS),
                    Stream.of("Origin: https://evil.example", "Connection: keep-alive, Upgrade")).toArray(String[]::new);
            HttpProbe.Response refused = probe.request("GET", "/websocket/?finger=victim", headers);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).isEqualTo("origin not allowed\n");
            assertThat(refused.header("Retry-After")).isNull();
            assertThat(probe.closedByServer()).isTrue();
        }
        try (RawWebSocket victim = RawWebSocket.open(server.port(), "/websocket/?finger=victim",
                "Origin: https://app.example.com")) {
            assertThat(victim.upgraded()).isTrue();
            victim.sendText("{\"to\":\"victim\"}");
            assertThat(victim.readAnsweringPings().text()).as("the ID was free").isEqualTo("{\"to\":\"victim\"}");
        }
    }

    @Test
    void twoOriginHeadersAreRefused() throws Exception {
        assertThat(upgrade(server.port(), "two", "Origin: https://app.example.com", "Origin: https://app.example.com")
                .status()).isEqualTo(403);
    }

    @Test
    void theDefaultStarAdmitsAnyOriginEvenNull() throws Exception {
        for (String origin : List.of("https://evil.example", "null", "file://")) {
            try (RawWebSocket socket = RawWebSocket.open(anyOrigin.port(), "/websocket/?finger=any", "Origin: " + origin)) {
                assertThat(socket.upgraded()).as(origin).isTrue();
            }
        }
    }

    /**
     * A page hammering the node gets every answer, the log one line a minute per address (from
     * addresses no other test here uses: the node remembers 127.0.0.1's line for a minute).
     */
    @Test
    void logsOneLineForManyRefusalsFromOneAddress() throws Exception {
        try (CapturedLog log = new CapturedLog(RefusalLog.class, Level.INFO)) {
            for (String from : List.of("127.0.0.3", "127.0.0.4")) {
                for (int i = 0; i < 20; i++) {
                    try (HttpProbe probe = new HttpProbe(InetAddress.getByName(from), server.port())) {
                        assertThat(probe.request("GET", "/websocket/?finger=hammer", Stream.concat(
                                Stream.of(HttpProbe.UPGRADE_HEADERS), Stream.of("Origin: https://hammer.example"))
                                .toArray(String[]::new)).status()).isEqualTo(403);
                    }
                }
            }
            assertThat(log.messages()).containsExactly(
                    "refused origin from 127.0.0.3: origin not allowed: https://hammer.example",
                    "refused origin from 127.0.0.4: origin not allowed: https://hammer.example");
        }
    }
}
