package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.TlsConfig;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestCertificates;
import dev.rendezvous.support.TestServer;
import dev.rendezvous.support.TlsProbe;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the TLS port agrees to: TLS 1.2 and 1.3, ECDHE with AEAD suites, ALPN http/1.1. An RSA
 * certificate, so that the refused suites (CBC, RSA key exchange) would be possible if allowed.
 */
class TlsPolicyTest {

    private static final Path DIR = temporaryDirectory();
    private static final TestCertificates.Pair PAIR = TestCertificates.rsa(DIR, "policy", 77);

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .tls(new TlsConfig(PAIR.certificateFile(), PAIR.keyFile())));

    @Test
    void tls13AndTls12WithEcdheAeadSuitesAreServed() throws Exception {
        TlsProbe.Result tls13 = TlsProbe.handshake(server.port(), client(List.of("TLSv1.3"), null, null));
        assertThat(tls13.ok()).as("%s", tls13.failure()).isTrue();
        assertThat(tls13.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls13.serial()).isEqualTo(PAIR.serial());

        for (String suite : List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")) {
            TlsProbe.Result tls12 = TlsProbe.handshake(server.port(), client(List.of("TLSv1.2"), List.of(suite), null));
            assertThat(tls12.ok()).as("%s: %s", suite, tls12.failure()).isTrue();
            assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
            assertThat(tls12.cipher()).isEqualTo(suite);
        }
    }

    @Test
    void tls11AndTls10AreRefused() throws Exception {
        for (String old : List.of("TLSv1.1", "TLSv1")) {
            TlsProbe.Result result = TlsProbe.handshake(server.port(), client(List.of(old), null, null));
            assertThat(result.ok()).as(old).isFalse();
        }
    }

    @Test
    void cbcSuitesAndRsaKeyExchangeAreRefused() throws Exception {
        for (String suite : List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384")) {
            TlsProbe.Result result = TlsProbe.handshake(server.port(), client(List.of("TLSv1.2"), List.of(suite), null));
            assertThat(result.ok()).as(suite).isFalse();
        }
    }

    @Test
    void alpnSelectsHttp11AndOnlyHttp11() throws Exception {
        TlsProbe.Result browserLike = TlsProbe.handshake(server.port(), client(null, null, List.of("h2", "http/1.1")));
        assertThat(browserLike.ok()).as("%s", browserLike.failure()).isTrue();
        assertThat(browserLike.alpn()).isEqualTo("http/1.1");

        TlsProbe.Result h2Only = TlsProbe.handshake(server.port(), client(null, null, List.of("h2")));
        assertThat(h2Only.alpn()).as("h2 is never selected").isNull();

        TlsProbe.Result none = TlsProbe.handshake(server.port(), client(null, null, null));
        assertThat(none.ok()).as("a client without ALPN: %s", none.failure()).isTrue();
        assertThat(none.alpn()).isNull();
    }

    /** BoringSSL as the client: it still offers what the JDK refuses by default (TLS 1.0/1.1, CBC, RSA). */
    private static SslContext client(List<String> protocols, List<String> ciphers, List<String> alpn)
            throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
        if (protocols != null) {
            builder.protocols(protocols);
        }
        if (ciphers != null) {
            builder.ciphers(ciphers);
        }
        if (alpn != null) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("rendezvous-tls-policy-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
