package dev.rendezvous.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Grants as a backend (or an attacker) would write them, for tests: Nimbus on the signing side. */
public final class Grants {

    public static final String SECRET = "first-secret-of-at-least-32-bytes!!";
    public static final String SECOND_SECRET = "second-secret-of-at-least-32-bytes!";

    private Grants() {
    }

    /** Claims for {@code id} that expire after {@code ttl} from now. */
    public static JWTClaimsSet.Builder claims(String id, Duration ttl) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(id).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
    }

    public static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A grant for {@code id}, valid for an hour, signed with {@link #SECRET}. */
    public static String forId(String id) {
        return hs256(SECRET, claims(id, Duration.ofHours(1)).build());
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as {@code openssl pkey -pubout} writes it. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static Path pemFile(PublicKey key) {
        try {
            Path file = Files.createTempFile("rendezvous-grant-key-", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, pem(key), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
