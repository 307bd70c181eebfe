package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile grants against a node that verifies RS256 with a PEM public key: each gets its
 * documented answer (4401 "token invalid" after the upgrade, or 414/431 before it for sizes no
 * request may have), while a control pair with valid grants keeps exchanging messages, no log
 * line carries a token, and Netty's paranoid leak detector stays clean (LeakGuard).
 */
class HostileGrantsTest {

    private static final KeyPair KEYS = Grants.rsa();
    private static final KeyPair ATTACKER = Grants.rsa();

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config().auth(new AuthConfig(List.of(),
            Grants.pemFile(KEYS.getPublic()), null, null, null, "sub", Duration.ofSeconds(30))));

    private static HttpServer keyHost;
    private static final AtomicInteger keyHostRequests = new AtomicInteger();
    private static TestClient alice;
    private static TestClient bob;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static Level level;
    private int exchanged;

    @BeforeAll
    static void controlPairAndLogs() throws Exception {
        keyHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyHost.createContext("/", exchange -> {
            keyHostRequests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        keyHost.start();
        Logger root = (Logger) org.slf4j.LoggerFactory.getLogger("dev.rendezvous");
        level = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        alice = TestClient.connect(TestClient.uri(server.port(), "alice", "token=" + rs256("alice")));
        bob = TestClient.connect(TestClient.uri(server.port(), "bob", "token=" + rs256("bob")));
    }

    @AfterAll
    static void stop() {
        alice.close();
        bob.close();
        keyHost.stop(0);
        Logger root = (Logger) org.slf4j.LoggerFactory.getLogger("dev.rendezvous");
        root.detachAppender(logs);
        root.setLevel(level);
    }

    @BeforeEach
    void controlPairStillTalks() throws Exception {
        exchanged++;
        alice.send("{\"to\":\"bob\",\"n\":" + exchanged + "}");
        assertThat(bob.receive()).isEqualTo("{\"to\":\"bob\",\"n\":" + exchanged + "}");
        bob.send("{\"to\":\"alice\",\"n\":" + exchanged + "}");
        assertThat(alice.receive()).isEqualTo("{\"to\":\"alice\",\"n\":" + exchanged + "}");
    }

    private static String rs256(String id) {
        return rs256(new JWSHeader(JWSAlgorithm.RS256), Grants.claims(id, Duration.ofHours(1)).build(), KEYS);
    }

    private static String rs256(JWSHeader header, JWTClaimsSet claims, KeyPair keys) {
        return Grants.sign(header, claims, new RSASSASigner(keys.getPrivate()));
    }

    /** A token whose claims are exactly {@code json}, validly signed. */
    private static String rs256Raw(String json) throws Exception {
        Base64URL header = new JWSHeader(JWSAlgorithm.RS256).toBase64URL();
        Base64URL payload = Base64URL.encode(json.getBytes(StandardCharsets.UTF_8));
        Base64URL signature = new RSASSASigner(KEYS.getPrivate()).sign(new JWSHeader(JWSAlgorithm.RS256),
                (header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + signature;
    }

    private static void assertInvalid(String finger, String token) throws Exception {
        String query = "finger=" + URLEncoder.encode(finger, StandardCharsets.UTF_8).replace("+", "%20")
                + "&token=" + token;
        try (TestClient refused = TestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/websocket/?" + query))) {
            assertThat(refused.awaitClose()).as(token.length() > 80 ? token.substring(0, 80) : token)
                    .isEqualTo(new TestClient.Close(4401, "token invalid"));
        }
        assertNoLogLineHolds(token);
    }

    private static void assertNoLogLineHolds(String token) {
        String signed = token.contains(".") ? token.substring(0, token.lastIndexOf('.')) : token;
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            assertThat(event.getFormattedMessage()).doesNotContain(token).doesNotContain(signed.length() > 20
                    ? signed : "\u0000never");
        }
    }

    @Test
    void algNoneIsInvalid() throws Exception {
        String unsigned = new PlainJWT(Grants.claims("mallory", Duration.ofHours(1)).build()).serialize();
        assertInvalid("mallory", unsigned);
        assertInvalid("mallory", unsigned + "c2lnbmF0dXJl");
    }

    @Test
    void hs256SignedWithThePublicKeyAsTheSecretIsInvalid() throws Exception {
        JWTClaimsSet claims = Grants.claims("mallory", Duration.ofHours(1)).build();
        byte[] pem = Grants.pem(KEYS.getPublic()).getBytes(StandardCharsets.US_ASCII);
        assertInvalid("mallory", Grants.sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(pem)));
        assertInvalid("mallory", Grants.sign(new JWSHeader(JWSAlgorithm.HS256), claims,
                new MACSigner(KEYS.getPublic().getEncoded())));
    }

    @Test
    void aTruncatedOrAlteredSignatureIsInvalid() throws Exception {
        String token = rs256("mallory");
        assertInvalid("mallory", token.substring(0, token.length() - 10));
        assertInvalid("mallory", token.substring(0, token.lastIndexOf('.') + 1));
        String flipped = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "B" : "A") + "A";
        assertInvalid("mallory", flipped);
    }

    @Test
    void aKeyFromTheTokensOwnHeaderIsNeverUsedNorFetched() throws Exception {
        RSAKey attackerKey = new RSAKey.Builder((RSAPublicKey) ATTACKER.getPublic()).keyID("evil").build();
        JWTClaimsSet claims = Grants.claims("mallory", Duration.ofHours(1)).build();
        assertInvalid("mallory", rs256(new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attackerKey).build(), claims,
                ATTACKER));
        URI hosted = URI.create("http://127.0.0.1:" + keyHost.getAddress().getPort() + "/jwks.json");
        assertInvalid("mallory", rs256(new JWSHeader.Builder(JWSAlgorithm.RS256).jwkURL(hosted).keyID("evil")
                .build(), claims, ATTACKER));
        assertInvalid("mallory", rs256(new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertURL(hosted).build(), claims,
                ATTACKER));
        assertThat(keyHostRequests.get()).as("nothing was fetched from the token's jku or x5u").isZero();
    }

    @Test
    void claimsThatAreNotJsonOrOfTheWrongTypeAreInvalid() throws Exception {
        long exp = System.currentTimeMillis() / 1000 + 3600;
        assertInvalid("mallory", rs256Raw("not json at all"));
        assertInvalid("mallory", rs256Raw("[\"sub\",\"mallory\"]"));
        assertInvalid("mallory", rs256Raw("{\"sub\":\"mallory\",\"exp\":\"tomorrow\"}"));
        assertInvalid("12345", rs256Raw("{\"sub\":12345,\"exp\":" + exp + "}"));
        assertInvalid("mallory", rs256Raw("{\"sub\":\"mallory\",\"exp\":" + exp + ",\"peers\":\"bob\"}"));
        assertInvalid("mallory", rs256Raw("{\"sub\":\"mallory\",\"exp\":" + exp + ",\"peers\":[\"bob\",7]}"));
        assertInvalid("mallory", rs256Raw("{\"sub\":\"mallory\",\"exp\":" + exp + ",\"peers\":[\"a\\u0000b\"]}"));
        assertInvalid("mallory", rs256Raw("{\"sub\":\"mallory\",\"exp\":" + exp + ",\"sub\":\"mallory\"}"));
    }

    @Test
    void unicodeIdsWorkAndControlCharactersNeverMatch() throws Exception {
        String id = "ålice ☃ \uD83D\uDE00";
        try (TestClient unicode = TestClient.connect(URI.create(TestClient.uri(server.port(), id) + "&token="
                + rs256(id)))) {
            unicode.send("{\"to\":\"bob\",\"unicode\":true}");
            assertThat(bob.receive()).isEqualTo("{\"to\":\"bob\",\"unicode\":true}");
        }
        try (TestClient control = TestClient.connect(TestClient.uri(server.port(), "mallory", "token="
                + rs256(new JWSHeader(JWSAlgorithm.RS256), Grants.claims("mallory\u0007", Duration.ofHours(1))
                .build(), KEYS)))) {
            assertThat(control.awaitClose()).isEqualTo(new TestClient.Close(4401, "token for another id"));
        }
        assertInvalid("mallory", "%00%0A" + rs256("mallory"));
        assertInvalid("mallory", "%C3%A9" + rs256("mallory"));
    }

    @Test
    void aHugeTokenIsAnsweredBeforeTheUpgrade() throws Exception {
        String huge = "a".repeat(100 * 1024);
        try (RawWebSocket inUrl = RawWebSocket.open(server.port(), "/websocket/?finger=mallory&token=" + huge)) {
            assertThat(inUrl.statusLine()).isEqualTo("HTTP/1.1 414 Request-URI Too Long");
        }
        try (RawWebSocket inHeader = RawWebSocket.open(server.port(), "/websocket/?finger=mallory",
                "Authorization: Bearer " + huge)) {
            assertThat(inHeader.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        }
        String large = rs256(new JWSHeader(JWSAlgorithm.RS256), Grants.claims("big", Duration.ofHours(1))
                .claim("peers", java.util.Collections.nCopies(110, "sha-256 AB:CD:EF:01:23:45:67:89")).build(), KEYS);
        assertThat(large.length()).as("a grant with a long peers list still fits").isGreaterThan(4096);
        try (TestClient fits = TestClient.connect(TestClient.uri(server.port(), "big", "token=" + large))) {
            fits.send("{\"to\":\"sha-256 AB:CD:EF:01:23:45:67:89\"}");
            assertThat(Json.fields(fits.receive())).containsEntry("error", "peer-unavailable");
        }
    }

    @Test
    void anEncryptedTokenIsInvalid() throws Exception {
        assertInvalid("mallory", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d");
    }
}
