package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar's grant commands: {@code token} mints what the node accepts; a bad key file is exit 2, one line. */
class GrantCommandsIT {

    @Test
    void theTokenCommandMintsAGrantTheNodeAccepts() throws Exception {
        String secrets = Grants.SECRET + "," + Grants.SECOND_SECRET;
        NodeProcess.Exit minted = NodeProcess.runToExit(Duration.ofSeconds(30), "--auth-secret", secrets,
                "--auth-issuer", "backend", "token", "--id", "alice", "--ttl", "1h", "--peers", "bob,carol");
        assertThat(minted.code()).as(minted.output()).isZero();
        String token = minted.output().lines().reduce((first, second) -> second).orElseThrow();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new MACVerifier(Grants.SECRET.getBytes(StandardCharsets.UTF_8))))
                .as("signed with the first secret").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getIssuer()).isEqualTo("backend");
        assertThat(claims.getStringListClaim("peers")).isEqualTo(List.of("bob", "carol"));
        assertThat(claims.getExpirationTime().toInstant()).isBetween(Instant.now().plusSeconds(3500),
                Instant.now().plusSeconds(3700));

        try (NodeProcess node = NodeProcess.start("--auth-secret", secrets, "--auth-issuer", "backend");
             TestClient alice = TestClient.connect(TestClient.uri(node.port(), "alice", "token=" + token));
             TestClient bob = TestClient.connect(TestClient.uri(node.port(), "bob", "token=" + Grants.hs256(
                     Grants.SECOND_SECRET, Grants.claims("bob", Duration.ofHours(1)).issuer("backend").build())))) {
            alice.send("{\"to\":\"bob\",\"type\":\"offer\"}");
            assertThat(bob.receive()).isEqualTo("{\"to\":\"bob\",\"type\":\"offer\"}");
            assertThat(node.output()).contains("grants required").doesNotContain(token, Grants.SECRET);
        }
    }

    @Test
    void tokenWithoutASecretIsOneLine() throws Exception {
        NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(30), "token", "--id", "alice");
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output().lines()).singleElement().asString().contains("minting needs --auth-secret");
    }

    @Test
    void aBadPublicKeyFileStopsCheckConfigAndTheStartWithOneLine() throws Exception {
        Path pem = Files.createTempFile("bad-key", ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
        try {
            for (List<String> command : List.of(List.of("--auth-public-key", pem.toString(), "check-config"),
                    List.of("--auth-public-key", pem.toString()))) {
                NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(30), command.toArray(String[]::new));
                assertThat(exit.code()).as(exit.output()).isEqualTo(2);
                assertThat(exit.output().lines()).singleElement().asString()
                        .startsWith("rendezvous: auth public key " + pem + ":");
            }
            Files.writeString(pem, Grants.pem(Grants.ecP256().getPublic()));
            NodeProcess.Exit fine = NodeProcess.runToExit(Duration.ofSeconds(30), "--auth-public-key", pem.toString(),
                    "check-config");
            assertThat(fine.code()).as(fine.output()).isZero();
        } finally {
            Files.delete(pem);
        }
    }
}
