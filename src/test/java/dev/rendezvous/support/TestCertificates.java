package dev.rendezvous.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made inside the test (BouncyCastle), for localhost and 127.0.0.1, with
 * the serial the test chooses so it can tell which pair a handshake got.
 */
public final class TestCertificates {

    /** A certificate and its key, as PEM files. */
    public record Pair(X509Certificate certificate, Path certificateFile, Path keyFile, KeyPair keys) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Copies both files over {@code certificateTarget} and {@code keyTarget}, each replaced atomically. */
        public void installAs(Path certificateTarget, Path keyTarget) throws IOException {
            replace(certificateFile, certificateTarget);
            replace(keyFile, keyTarget);
        }

        /** The key in PKCS#1 (RSA) or SEC1 (EC) form, "BEGIN RSA/EC PRIVATE KEY". */
        public String traditionalKeyPem() {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(keys.getPrivate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }

    private TestCertificates() {
    }

    /** An EC P-256 pair written to {@code dir/name.crt} and {@code dir/name.key} (PKCS#8). */
    public static Pair ec(Path dir, String name, long serial) {
        return write(dir, name, serial, generate("EC"), "SHA256withECDSA");
    }

    /** An RSA 2048 pair, for the cipher-suite tests that need RSA key exchange to be possible. */
    public static Pair rsa(Path dir, String name, long serial) {
        return write(dir, name, serial, generate("RSA"), "SHA256withRSA");
    }

    /** An SSLContext whose only trust anchors are these certificates. */
    public static SSLContext trusting(Pair... pairs) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < pairs.length; i++) {
                store.setCertificateEntry("trusted-" + i, pairs[i].certificate());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK HTTP (and WebSocket) client that trusts only these certificates. */
    public static HttpClient httpClient(Pair... pairs) {
        return HttpClient.newBuilder().sslContext(trusting(pairs)).connectTimeout(TestClient.WAIT).build();
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pair write(Path dir, String name, long serial, KeyPair keys, String signature) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost,O=Rendezvous test " + name);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(serial),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
            Path certificateFile = dir.resolve(name + ".crt");
            Path keyFile = dir.resolve(name + ".key");
            Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return new Pair(certificate, certificateFile, keyFile, keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void replace(Path source, Path target) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".incoming-", ".pem");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
