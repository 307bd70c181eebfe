package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.TestCertificates;
import dev.rendezvous.support.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through the jar, which carries no BouncyCastle: what it serves, and what {@code check-config}
 * says about each kind of key file.
 */
class TlsCommandLineIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theJarServesWssAndNamesItsTlsEngine() throws Exception {
        TestCertificates.Pair pair = TestCertificates.ec(dir, "jar", 42);
        try (NodeProcess node = NodeProcess.start("--tls-cert", pair.certificateFile().toString(),
                "--tls-key", pair.keyFile().toString());
             TestClient client = TestClient.connect(
                     URI.create("wss://127.0.0.1:" + node.port() + "/websocket/?finger=jar-wss"),
                     TestCertificates.httpClient(pair))) {
            client.send("{\"to\":\"jar-wss\"}");
            assertThat(client.receive()).isEqualTo("{\"to\":\"jar-wss\"}");
            assertThat(node.output()).contains("tls=openssl").contains("tls: serving serial=2a");
        }
    }

    @Test
    void checkConfigLoadsAPkcs8PairAndRefusesPkcs1Sec1AndMismatchedKeysInOneLine() throws Exception {
        TestCertificates.Pair ec = TestCertificates.ec(dir, "ec", 1);
        TestCertificates.Pair rsa = TestCertificates.rsa(dir, "rsa", 2);
        assertThat(check(ec.certificateFile(), ec.keyFile()).code()).isZero();
        assertThat(check(rsa.certificateFile(), rsa.keyFile()).code()).isZero();

        Path sec1 = Files.writeString(dir.resolve("sec1.key"), ec.traditionalKeyPem());
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"), rsa.traditionalKeyPem());
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        for (NodeProcess.Exit refused : new NodeProcess.Exit[] {check(ec.certificateFile(), sec1),
                check(rsa.certificateFile(), pkcs1)}) {
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.output().lines()).singleElement().asString()
                    .contains("PKCS#1/SEC1").contains("openssl pkcs8 -topk8 -nocrypt");
        }

        NodeProcess.Exit mismatched = check(ec.certificateFile(), rsa.keyFile());
        assertThat(mismatched.code()).isEqualTo(2);
        assertThat(mismatched.output().lines()).singleElement().asString()
                .contains("the key does not serve the certificate");

        NodeProcess.Exit missing = check(dir.resolve("absent.crt"), ec.keyFile());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.output().lines()).singleElement().asString().contains("cannot read --tls-cert");
    }

    private static NodeProcess.Exit check(Path certificate, Path key) throws Exception {
        return NodeProcess.runToExit(BOUND, "check-config", "--tls-cert", certificate.toString(),
                "--tls-key", key.toString());
    }
}
