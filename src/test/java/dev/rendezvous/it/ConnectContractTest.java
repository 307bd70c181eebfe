package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire contract item 1: where and how a socket connects, and which requests are refused. */
class ConnectContractTest {

    private static final String FINGERPRINT = "sha-256 "
            + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest();



    /** The ID a socket got bound to, read back from an error frame addressed to it. */
    private static String boundId(TestClient client) throws InterruptedException {
        client.send("{\"to\":\"nobody-is-here\"}");
        String error = client.receive();
        return Json.field(error, "to");
    }

    @Test
    void upgradesWithAndWithoutTheTrailingSlash() throws Exception {
        try (TestClient slash = TestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/websocket/?finger=s1"));
             TestClient bare = TestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/websocket?finger=s2"))) {
            assertThat(boundId(slash)).isEqualTo("s1");
            assertThat(boundId(bare)).isEqualTo("s2");
        }
    }

    @Test
    void bindsCertificateFingerprintsWithSpacesAndColons() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), FINGERPRINT);
             TestClient b = TestClient.connect(server.port(), FINGERPRINT.replace("AB", "BA"))) {
            String message = "{\"to\":\"" + FINGERPRINT + "\",\"type\":\"offer\"}";
            b.send(message);
            assertThat(a.receive()).isEqualTo(message);
        }
    }

    @Test
    void percentDecodesTheIdButKeepsPlusAsPlus() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/websocket/?finger=a+b%20c%3Ad%E2%82%AC");
        try (TestClient client = TestClient.connect(uri)) {
            assertThat(boundId(client)).isEqualTo("a+b c:d\u20ac");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/websocket/", "/websocket/?finger=", "/websocket/?other=x", "/websocket/?finger=%zz",
        "/websocket/?finger=%FF%FE", "/websocket/?finger=a%00b", "/websocket/?finger=x&finger=y"})
    void refusesMissingEmptyOrInvalidIdsWith400AndNoUpgrade(String pathAndQuery) throws Exception {
        HttpProbe.Response response = HttpProbe.upgrade(server.port(), pathAndQuery);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("upgrade")).isNull();
        assertThat(response.body().strip()).isNotEmpty().doesNotContain("\n");
    }

    @Test
    void refusesIdsLongerThan256Bytes() throws Exception {
        String longest = "\u00e9".repeat(128);
        try (TestClient ok = TestClient.connect(server.port(), longest)) {
            assertThat(boundId(ok)).isEqualTo(longest);
        }
        HttpProbe.Response tooLong = HttpProbe.upgrade(server.port(), "/websocket/?finger=" + "x".repeat(257));
        assertThat(tooLong.status()).isEqualTo(400);
    }

    /**
     * Upgrades Netty's handshaker would reject. They get a 400 with a one-line reason, and the ID
     * they asked for stays free (it used to stay bound, for good, to a connection that never
     * became a WebSocket).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no Sec-WebSocket-Key | missing Sec-WebSocket-Key | Upgrade: websocket | Connection: Upgrade | Sec-WebSocket-Version: 13",
        "a blank Sec-WebSocket-Key | missing Sec-WebSocket-Key | Upgrade: websocket | Connection: Upgrade | Sec-WebSocket-Key:  ",
        "no Upgrade token in Connection | expected a WebSocket upgrade | Upgrade: websocket | Connection: keep-alive | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "no Connection header | expected a WebSocket upgrade | Upgrade: websocket | Sec-WebSocket-Version: 13 | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "no Upgrade header | expected a WebSocket upgrade | Connection: Upgrade | Sec-WebSocket-Version: 13 | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "two protocols in Upgrade | expected a WebSocket upgrade | Upgrade: h2c, websocket | Connection: Upgrade | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    })
    void refusesAMalformedUpgradeWith400AndLeavesTheIdFree(String malformation, String reason, String header1,
            String header2, String header3) throws Exception {
        String id = "malformed-" + malformation.replace(' ', '-');
        HttpProbe.Response refused = HttpProbe.get(server.port(), "/websocket/?finger=" + id,
                header1, header2, header3, "Sec-WebSocket-Version: 13");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo(reason + "\n");
        try (TestClient client = TestClient.connect(server.port(), id)) {
            assertThat(boundId(client)).isEqualTo(id);
        }
    }

    /** RFC 6455 4.2.2: 426 with the version the server speaks; Netty would otherwise try the 2010 draft. */
    @ParameterizedTest
    @ValueSource(strings = {"", "99"})
    void answersAMissingOrUnknownVersionWith426AndLeavesTheIdFree(String version) throws Exception {
        String id = "version-" + version;
        String[] headers = {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};
        HttpProbe.Response refused = version.isEmpty()
                ? HttpProbe.get(server.port(), "/websocket/?finger=" + id, headers)
                : HttpProbe.get(server.port(), "/websocket/?finger=" + id, headers[0], headers[1], headers[2],
                        "Sec-WebSocket-Version: " + version);
        assertThat(refused.status()).isEqualTo(426);
        assertThat(refused.header("sec-websocket-version")).isEqualTo("13");
        try (TestClient client = TestClient.connect(server.port(), id)) {
            assertThat(boundId(client)).isEqualTo(id);
        }
    }

    @Test
    void acceptsAConnectionHeaderWithSeveralTokens() throws Exception {
        HttpProbe.Response upgraded = HttpProbe.get(server.port(), "/websocket/?finger=firefox-style",
                "Upgrade: websocket", "Connection: keep-alive, Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version: 13");
        assertThat(upgraded.status()).isEqualTo(101);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ws?finger=a", "/websocket/extra?finger=a", "/websockets?finger=a", "/favicon.ico"})
    void answersOtherPathsWith404(String pathAndQuery) throws Exception {
        assertThat(HttpProbe.upgrade(server.port(), pathAndQuery).status()).isEqualTo(404);
    }

    @Test
    void acceptsConnectionsFromAnyOrigin() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(server.port(), "/websocket/?finger=origin-test",
                "Origin: https://somewhere-else.example")) {
            assertThat(socket.upgraded()).isTrue();
        }
    }

    @Test
    void servesHealthz() throws Exception {
        HttpProbe.Response health = HttpProbe.get(server.port(), "/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().strip()).isEqualTo("ok");
    }
}
