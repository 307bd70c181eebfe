package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.support.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one TLS policy with either engine (BoringSSL, or the JDK's when tcnative cannot load), and
 * the key formats that are read. BouncyCastle is on the test class path, where Netty would read
 * PKCS#1 and SEC1 keys, but not in the jar: they are refused in both places alike.
 */
class TlsContextsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void everyEngineOffersTls12And13WithAeadSuitesOnly(SslProvider provider) throws Exception {
        for (TestCertificates.Pair pair : new TestCertificates.Pair[] {
                TestCertificates.ec(dir, "ec", 5), TestCertificates.rsa(dir, "rsa", 6)}) {
            TlsContexts.Loaded loaded = TlsContexts.load(Files.readAllBytes(pair.certificateFile()),
                    Files.readAllBytes(pair.keyFile()), provider);
            assertThat(loaded.summary()).contains("serial=0" + pair.serial());
            SSLEngine engine = loaded.context().newEngine(ByteBufAllocator.DEFAULT);
            try {
                // The JDK's engine also lists SSLv2Hello, a ClientHello format, not a protocol version.
                assertThat(engine.getEnabledProtocols()).filteredOn(protocol -> !protocol.equals("SSLv2Hello"))
                        .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
                assertThat(engine.getEnabledCipherSuites()).isNotEmpty()
                        .allSatisfy(suite -> assertThat(TlsContexts.CIPHERS).contains(suite))
                        .noneMatch(suite -> suite.contains("CBC") || suite.startsWith("TLS_RSA_"));
            } finally {
                ReferenceCountUtil.release(engine);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void pkcs1Sec1AndEncryptedKeysAreRefusedWithTheConversionCommand(SslProvider provider) throws Exception {
        for (TestCertificates.Pair pair : new TestCertificates.Pair[] {
                TestCertificates.ec(dir, "sec1", 7), TestCertificates.rsa(dir, "pkcs1", 8)}) {
            byte[] certificate = Files.readAllBytes(pair.certificateFile());
            byte[] traditional = pair.traditionalKeyPem().getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> TlsContexts.load(certificate, traditional, provider))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PKCS#1/SEC1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] certificate = Files.readAllBytes(TestCertificates.ec(dir, "enc", 9).certificateFile());
        byte[] encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> TlsContexts.load(certificate, encrypted, provider)).hasMessageContaining("encrypted");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void aKeyThatIsNotTheCertificatesIsRefusedAtLoad(SslProvider provider) throws Exception {
        TestCertificates.Pair one = TestCertificates.ec(dir, "one", 10);
        TestCertificates.Pair other = TestCertificates.ec(dir, "other", 11);
        assertThatThrownBy(() -> TlsContexts.load(Files.readAllBytes(one.certificateFile()),
                Files.readAllBytes(other.keyFile()), provider))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tls: the key does not serve the certificate")
                .hasMessageNotContaining("\n");
    }
}
