package dev.rendezvous.admission;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * {@code --auth-public-key}: a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubout} writes) or a {@code CERTIFICATE}, RSA of at least 2048 bits (RS256)
 * or EC P-256 (ES256). The key type fixes the one algorithm grants may use.
 */
record PemPublicKey(JWK key, JWSAlgorithm algorithm) {

    static final int MIN_RSA_BITS = 2048;

    /** Loads the key; throws IllegalArgumentException with one line naming the file and the problem. */
    static PemPublicKey load(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw problem(file, "cannot read it (" + e.getMessage() + ")");
        }
        PublicKey key;
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                key = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            } else {
                key = decode(file, body(file, pem, "PUBLIC KEY"));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw e instanceof IllegalArgumentException arg && arg.getMessage().startsWith("auth public key")
                    ? arg : problem(file, "not a valid PEM public key or certificate (" + e.getMessage() + ")");
        }
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw problem(file, "RSA key of " + rsa.getModulus().bitLength() + " bits; RS256 needs at least "
                        + MIN_RSA_BITS);
            }
            return new PemPublicKey(new RSAKey.Builder(rsa).build(), JWSAlgorithm.RS256);
        }
        if (key instanceof ECPublicKey ec) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw problem(file, "EC key not on P-256; ES256 needs P-256");
            }
            return new PemPublicKey(new ECKey.Builder(Curve.P_256, ec).build(), JWSAlgorithm.ES256);
        }
        throw problem(file, key.getAlgorithm() + " key; expected RSA (RS256) or EC P-256 (ES256)");
    }

    private static String body(Path file, String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            String found = pem.contains("-----BEGIN RSA PUBLIC KEY-----")
                    ? "a PKCS#1 RSA PUBLIC KEY; convert it with openssl rsa -RSAPublicKey_in -pubout"
                    : "no " + begin + " block";
            throw problem(file, found);
        }
        return pem.substring(from + begin.length(), to);
    }

    private static PublicKey decode(Path file, String base64) throws GeneralSecurityException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw problem(file, "its PUBLIC KEY block is not base64");
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException("auth public key " + file + ": " + what);
    }
}
