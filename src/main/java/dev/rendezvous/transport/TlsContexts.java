package dev.rendezvous.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server's {@link SslContext} from PEM bytes with the one policy the node serves: TLS 1.2
 * and 1.3, ECDHE key exchange with AEAD ciphers only (no CBC, no RSA key exchange), ALPN
 * {@code http/1.1}. A pair is accepted only after a handshake with it completed in memory, so a key
 * that does not belong to the certificate is refused at load, not at every browser's handshake.
 */
final class TlsContexts {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Mozilla's "intermediate" TLS 1.2 suites, which is every ECDHE + AEAD suite; TLS 1.3 has only
     * AEAD suites (BoringSSL does not let them be configured at all).
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            // A client that offers no http/1.1 gets no ALPN answer rather than an alert; it may
            // still speak HTTP/1.1 (a client without ALPN at all always does).
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    private static final int SELF_TEST_ROUNDS = 16;

    /** A loaded pair: the context and what the log says about it. */
    record Loaded(SslContext context, String summary) {
    }

    private TlsContexts() {
    }

    /** Throws {@link IllegalArgumentException} with a one-line reason when the pair cannot serve. */
    static Loaded load(byte[] certificatePem, byte[] keyPem, SslProvider provider) {
        String keyProblem = keyFormatProblem(keyPem);
        if (keyProblem != null) {
            throw new IllegalArgumentException(keyProblem);
        }
        X509Certificate leaf = leaf(certificatePem);
        SslContext context;
        try {
            context = SslContextBuilder
                    .forServer(new ByteArrayInputStream(certificatePem), new ByteArrayInputStream(keyPem))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(ALPN)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("tls: the certificate and key do not load: " + oneLine(e), e);
        }
        selfTest(context);
        return new Loaded(context, "serial=" + HexFormat.of().formatHex(leaf.getSerialNumber().toByteArray())
                + " subject=\"" + leaf.getSubjectX500Principal().getName() + "\" not-after=" + leaf.getNotAfter().toInstant());
    }

    /**
     * Netty reads PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}) keys
     * only when BouncyCastle is on the class path, which the shipped jar does not carry; refusing
     * them here, with the command that converts them, keeps the answer the same everywhere.
     */
    private static String keyFormatProblem(byte[] keyPem) {
        String text = new String(keyPem, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return "tls: --tls-key is PKCS#1/SEC1; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'";
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return "tls: --tls-key is encrypted; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)";
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            return "tls: --tls-key holds no PEM private key (BEGIN PRIVATE KEY)";
        }
        return null;
    }

    private static X509Certificate leaf(byte[] certificatePem) {
        try {
            Object first = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificatePem)).stream().findFirst().orElse(null);
            if (first instanceof X509Certificate certificate) {
                return certificate;
            }
            throw new IllegalArgumentException("tls: --tls-cert holds no PEM certificate");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tls: --tls-cert is not a PEM certificate chain: " + oneLine(e), e);
        }
    }

    /**
     * A full handshake between the new context and a client that trusts anything, in memory: the
     * server signs with the key and the client checks that signature against the certificate.
     */
    private static void selfTest(SslContext server) {
        SslContext client;
        try {
            client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("the JDK's TLS client cannot be built", e);
        }
        EmbeddedChannel serverSide = new EmbeddedChannel(server.newHandler(ByteBufAllocator.DEFAULT));
        EmbeddedChannel clientSide = new EmbeddedChannel(client.newHandler(ByteBufAllocator.DEFAULT, "self-test", 443));
        try {
            Future<?> serverDone = serverSide.pipeline().get(SslHandler.class).handshakeFuture();
            Future<?> clientDone = clientSide.pipeline().get(SslHandler.class).handshakeFuture();
            for (int round = 0; round < SELF_TEST_ROUNDS && !(serverDone.isDone() && clientDone.isDone()); round++) {
                shuttle(clientSide, serverSide);
                shuttle(serverSide, clientSide);
            }
            Throwable failure = !serverDone.isDone() ? new SSLException("the handshake did not finish")
                    : serverDone.cause() != null ? serverDone.cause() : clientDone.cause();
            if (failure != null) {
                throw new IllegalArgumentException("tls: the key does not serve the certificate "
                        + "(a test handshake failed: " + oneLine(failure) + ")", failure);
            }
        } finally {
            serverSide.finishAndReleaseAll();
            clientSide.finishAndReleaseAll();
        }
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf bytes;
        while ((bytes = from.readOutbound()) != null) {
            if (!to.isOpen()) {
                bytes.release();
                continue;
            }
            try {
                to.writeInbound(bytes);
            } catch (Exception e) {
                // The handshake futures carry the failure; the exception only repeats it.
            }
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
