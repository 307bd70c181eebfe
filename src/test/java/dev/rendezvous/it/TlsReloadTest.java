package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rendezvous.config.TlsConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.TestCertificates;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import dev.rendezvous.support.TlsProbe;
import dev.rendezvous.transport.ServerTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate and key are reloaded when their files change: new handshakes get the new pair,
 * open sockets stay connected, and a pair that does not load leaves the old one serving.
 */
class TlsReloadTest {

    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private TestCertificates.Pair first;
    private TestCertificates.Pair second;
    private SslContext anyCertificate;
    private CapturedLog reloads;

    @BeforeEach
    void pairs() throws Exception {
        first = TestCertificates.ec(dir, "first", 1);
        second = TestCertificates.ec(dir, "second", 2);
        anyCertificate = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        reloads = new CapturedLog(ServerTls.class.getName(), Level.INFO);
    }

    @AfterEach
    void stopCapturing() {
        reloads.close();
    }

    @Test
    void newHandshakesGetTheNewPairWhileOpenSocketsKeepTalking() throws Exception {
        Path certificate = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        first.installAs(certificate, key);
        try (TestServer node = start(certificate, key);
             TestClient old = wss(node, "old-socket", first)) {
            FileTime before = Files.getLastModifiedTime(certificate);
            second.installAs(certificate, key);
            // Content, not times: the renewal must be seen even when the files' mtimes do not move.
            Files.setLastModifiedTime(certificate, before);
            Files.setLastModifiedTime(key, before);

            awaitServedSerial(node, second.serial());
            try (TestClient fresh = wss(node, "new-socket", second)) {
                old.send("{\"to\":\"new-socket\",\"type\":\"offer\"}");
                assertThat(fresh.receive()).isEqualTo("{\"to\":\"new-socket\",\"type\":\"offer\"}");
                fresh.send("{\"to\":\"old-socket\",\"type\":\"answer\"}");
                assertThat(old.receive()).isEqualTo("{\"to\":\"old-socket\",\"type\":\"answer\"}");
            }
            assertThat(messages(Level.INFO)).anyMatch(line -> line.contains("reloaded") && line.contains("serial=02"));
        }
    }

    /** A Kubernetes secret volume: the files are symlinks through ..data, which the kubelet swaps in one rename. */
    @Test
    void aKubernetesSecretUpdateIsPickedUp() throws Exception {
        Path generation1 = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        Files.copy(first.certificateFile(), generation1.resolve("tls.crt"));
        Files.copy(first.keyFile(), generation1.resolve("tls.key"));
        Files.createSymbolicLink(dir.resolve("..data"), generation1.getFileName());
        Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
        try (TestServer node = start(dir.resolve("tls.crt"), dir.resolve("tls.key"));
             TestClient old = wss(node, "k8s-old", first)) {
            Path generation2 = Files.createDirectory(dir.resolve("..2026_02_01_00_00_00.2"));
            Files.copy(second.certificateFile(), generation2.resolve("tls.crt"));
            Files.copy(second.keyFile(), generation2.resolve("tls.key"));
            Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), generation2.getFileName());
            Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            awaitServedSerial(node, second.serial());
            old.send("{\"to\":\"k8s-old\"}");
            assertThat(old.receive()).isEqualTo("{\"to\":\"k8s-old\"}");
        }
    }

    @Test
    void aBrokenReplacementIsLoggedAtErrorAndTheOldPairKeepsServing() throws Exception {
        Path certificate = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        first.installAs(certificate, key);
        try (TestServer node = start(certificate, key)) {
            // The second certificate with the first one's key: each file is fine, the pair is not.
            Files.copy(second.certificateFile(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Await.until(() -> messages(Level.ERROR).stream().anyMatch(line -> line.contains("not served")),
                    "the mismatched pair is refused at ERROR");
            assertThat(TlsProbe.handshake(node.port(), anyCertificate).serial()).isEqualTo(first.serial());
            try (TestClient stillWorks = wss(node, "after-broken", first)) {
                stillWorks.send("{\"to\":\"after-broken\"}");
                assertThat(stillWorks.receive()).isEqualTo("{\"to\":\"after-broken\"}");
            }

            Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
            Await.until(() -> messages(Level.ERROR).stream().anyMatch(line -> line.contains("not a PEM certificate")),
                    "the garbled certificate is refused at ERROR");
            assertThat(TlsProbe.handshake(node.port(), anyCertificate).serial()).isEqualTo(first.serial());

            second.installAs(certificate, key);
            awaitServedSerial(node, second.serial());
        }
    }

    private TestServer start(Path certificate, Path key) throws Exception {
        return TestServer.start(TestServer.config().tls(new TlsConfig(certificate, key, POLL)).build());
    }

    private static TestClient wss(TestServer node, String id, TestCertificates.Pair trusted) throws Exception {
        // A client that trusts only this pair's certificate: connecting proves which pair it got.
        return TestClient.connect(URI.create("wss://127.0.0.1:" + node.port() + "/websocket/?finger=" + id),
                TestCertificates.httpClient(trusted));
    }

    private void awaitServedSerial(TestServer node, BigInteger serial) throws Exception {
        Await.until(() -> serial.equals(TlsProbe.handshake(node.port(), anyCertificate).serial()),
                "new handshakes get the certificate with serial " + serial);
    }

    private java.util.List<String> messages(Level level) {
        return reloads.events().stream().filter(event -> event.getLevel().equals(level))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
