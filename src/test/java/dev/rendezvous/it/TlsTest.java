package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.rendezvous.Rendezvous;
import dev.rendezvous.config.TlsConfig;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestCertificates;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import io.netty.handler.ssl.OpenSsl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node serving only https:// and wss:// on its port: relay, plain HTTP and garbage on the port, stalled handshakes. */
class TlsTest {

    private static final Path DIR = temporaryDirectory();
    private static final TestCertificates.Pair PAIR = TestCertificates.ec(DIR, "node", 1001);
    private static final HttpClient TRUSTING = TestCertificates.httpClient(PAIR);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(1500);

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .handshakeTimeout(HANDSHAKE_TIMEOUT)
            .tls(new TlsConfig(PAIR.certificateFile(), PAIR.keyFile())));

    @AfterAll
    static void deleteFiles() throws IOException {
        Files.deleteIfExists(PAIR.certificateFile());
        Files.deleteIfExists(PAIR.keyFile());
        Files.deleteIfExists(DIR);
    }

    @Test
    void relaysOverWssByteForByteAndServesHttps() throws Exception {
        try (TestClient a = wss("tls-a"); TestClient b = wss("tls-b")) {
            String offer = "{\"to\":\"tls-b\",\"from\":\"tls-a\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\u00e9\"}";
            a.send(offer);
            assertThat(b.receive()).isEqualTo(offer);
            String answer = "{\"to\":\"tls-a\",\"type\":\"answer\",\"sdp\":\"" + "x".repeat(40_000) + "\"}";
            b.send(answer);
            assertThat(a.receive()).isEqualTo(answer);
        }
        HttpResponse<String> health = TRUSTING.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @Test
    void aPlainHttpRequestGetsNoHttpAnswerAndTheNodeKeepsServing() throws Exception {
        byte[] answer = sendRawAndReadToEnd(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertNoHttpAnswer(answer);
        byte[] upgrade = sendRawAndReadToEnd(("GET /websocket/?finger=plain HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertNoHttpAnswer(upgrade);
        assertStillServing();
    }

    @Test
    void garbageOnTheTlsPortIsCutAndTheNodeKeepsServing() throws Exception {
        byte[] noise = new byte[4096];
        ThreadLocalRandom.current().nextBytes(noise);
        assertNoHttpAnswer(sendRawAndReadToEnd(noise));
        // A record header that claims the largest length a record may not have.
        assertNoHttpAnswer(sendRawAndReadToEnd(new byte[] {0x16, 0x03, 0x03, (byte) 0xFF, (byte) 0xFF, 1, 2, 3}));
        assertStillServing();
    }

    @Test
    void aHandshakeThatNeverFinishesIsCutAtTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            long start = System.nanoTime();
            // The start of a ClientHello record, then silence.
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
            socket.getOutputStream().flush();
            assertThat(readToEnd(socket.getInputStream())).as("nothing but perhaps an alert").hasSizeLessThan(64);
            Duration open = Duration.ofNanos(System.nanoTime() - start);
            assertThat(open).as("cut by the handshake timeout, not before")
                    .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100))
                    .isLessThan(TestClient.WAIT);
        }
    }

    @Test
    void brokenTlsRecordsAfterTheUpgradeCloseTheSocketAsTheClientsFault() throws Exception {
        try (CapturedLog frames = new CapturedLog("dev.rendezvous.transport.WebSocketFrameHandler");
             Socket plain = new Socket("127.0.0.1", server.port())) {
            SSLSocket tls = (SSLSocket) TestCertificates.trusting(PAIR).getSocketFactory()
                    .createSocket(plain, "localhost", server.port(), false);
            tls.startHandshake();
            RawWebSocket ws = RawWebSocket.over(tls, server.port(), "/websocket/?finger=tls-breaker");
            assertThat(ws.upgraded()).isTrue();
            ws.sendText("{\"to\":\"tls-breaker\"}");
            assertThat(ws.readFrame().text()).isEqualTo("{\"to\":\"tls-breaker\"}");
            // An application-data record whose MAC cannot be right, straight onto the TCP stream.
            byte[] forged = new byte[64];
            forged[0] = 0x17;
            forged[1] = 0x03;
            forged[2] = 0x03;
            forged[4] = 59;
            // Twice: BoringSSL reports a failed record when the next one is read.
            plain.getOutputStream().write(forged);
            plain.getOutputStream().write(forged);
            plain.getOutputStream().flush();
            readToEnd(plain.getInputStream());
            assertThat(frames.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        }
        assertStillServing();
    }

    @Test
    void theStartLineNamesTheTlsProvider() throws Exception {
        try (CapturedLog start = new CapturedLog(Rendezvous.class.getName(), Level.INFO);
             TestServer node = TestServer.start(TestServer.config()
                     .tls(new TlsConfig(PAIR.certificateFile(), PAIR.keyFile())).build())) {
            String expected = OpenSsl.isAvailable() ? "tls=openssl " : "tls=jdk (";
            assertThat(start.events()).anySatisfy(event ->
                    assertThat(event.getFormattedMessage()).contains("listening on").contains(expected));
        }
    }

    private static TestClient wss(String id) throws Exception {
        return TestClient.connect(URI.create("wss://127.0.0.1:" + server.port() + "/websocket/?finger=" + id), TRUSTING);
    }

    private static void assertStillServing() throws Exception {
        try (TestClient probe = wss("tls-probe-" + System.nanoTime())) {
            probe.send("{\"to\":\"nobody\"}");
            assertThat(probe.receive()).contains("peer-unavailable");
        }
    }

    /** Only a TLS alert record (type 21) or nothing at all: no HTTP status line, no body. */
    private static void assertNoHttpAnswer(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("HTTP/").doesNotContain("ok");
        if (answer.length > 0) {
            assertThat(answer[0]).as("a TLS alert record").isEqualTo((byte) 0x15);
            assertThat(answer.length).isLessThan(64);
        }
    }

    private static byte[] sendRawAndReadToEnd(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readToEnd(socket.getInputStream());
        }
    }

    /** Everything until the node closes; a reset after its close counts as the end too. */
    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // the node closed with our bytes unread: the kernel answers with a reset
        }
        return all.toByteArray();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("rendezvous-tls-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
