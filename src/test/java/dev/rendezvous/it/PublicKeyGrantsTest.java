package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RS256 and ES256 grants verified with a PEM public key; the algorithm is pinned to the key's type. */
class PublicKeyGrantsTest {

    private static AuthConfig withKey(Path pem) {
        return new AuthConfig(List.of(), pem, null, null, null, "sub", Duration.ofSeconds(30));
    }

    private static TestClient.Close closeOf(TestServer node, String id, String token) throws Exception {
        try (TestClient client = TestClient.connect(TestClient.uri(node.port(), id, "token=" + token))) {
            return client.echoOrClose(id);
        }
    }

    @Test
    void rs256WithAnRsaKey() throws Exception {
        KeyPair keys = Grants.rsa();
        try (TestServer node = TestServer.start(TestServer.config().auth(withKey(Grants.pemFile(keys.getPublic())))
                .build())) {
            var claims = Grants.claims("rsa-user", Duration.ofHours(1)).build();
            assertThat(closeOf(node, "rsa-user", Grants.sign(new JWSHeader(JWSAlgorithm.RS256), claims,
                    new RSASSASigner(keys.getPrivate())))).as("admitted").isNull();
            assertThat(closeOf(node, "rsa-user", Grants.sign(new JWSHeader(JWSAlgorithm.RS512), claims,
                    new RSASSASigner(keys.getPrivate())))).as("RS512 is not the pinned algorithm")
                    .isEqualTo(new TestClient.Close(4401, "token invalid"));
            assertThat(closeOf(node, "rsa-user", Grants.sign(new JWSHeader(JWSAlgorithm.PS256), claims,
                    new RSASSASigner(keys.getPrivate())))).isEqualTo(new TestClient.Close(4401, "token invalid"));
            assertThat(closeOf(node, "rsa-user", Grants.sign(new JWSHeader(JWSAlgorithm.HS256), claims,
                    new MACSigner(Grants.SECRET)))).as("no HS256 with a public key")
                    .isEqualTo(new TestClient.Close(4401, "token invalid"));
        }
    }

    @Test
    void es256WithAnEcP256Key() throws Exception {
        KeyPair keys = Grants.ecP256();
        try (TestServer node = TestServer.start(TestServer.config().auth(withKey(Grants.pemFile(keys.getPublic())))
                .build())) {
            var claims = Grants.claims("ec-user", Duration.ofHours(1)).build();
            assertThat(closeOf(node, "ec-user", Grants.sign(new JWSHeader(JWSAlgorithm.ES256), claims,
                    new ECDSASigner((ECPrivateKey) keys.getPrivate())))).as("admitted").isNull();
            KeyPair other = Grants.ecP256();
            assertThat(closeOf(node, "ec-user", Grants.sign(new JWSHeader(JWSAlgorithm.ES256), claims,
                    new ECDSASigner((ECPrivateKey) other.getPrivate()))))
                    .isEqualTo(new TestClient.Close(4401, "token invalid"));
        }
    }

    @Test
    void aBadKeyFileIsOneLine() throws Exception {
        Path notPem = Files.createTempFile("not-a-key", ".pem");
        Files.writeString(notPem, "hello\n");
        assertThatThrownBy(() -> ClaimAdmission.check(withKey(notPem))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("auth public key " + notPem + ": no -----BEGIN PUBLIC KEY----- block");
        Path pkcs1 = Files.createTempFile("pkcs1", ".pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n");
        assertThatThrownBy(() -> ClaimAdmission.check(withKey(pkcs1))).hasMessageContaining("openssl rsa");
        Path garbled = Files.createTempFile("garbled", ".pem");
        Files.writeString(garbled, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> ClaimAdmission.check(withKey(garbled))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("auth public key " + garbled + ": not a valid PEM public key")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ClaimAdmission.check(withKey(Path.of("/nonexistent/key.pem"))))
                .hasMessageStartingWith("auth public key /nonexistent/key.pem: cannot read it");
        Files.delete(notPem);
        Files.delete(pkcs1);
        Files.delete(garbled);
    }
}
