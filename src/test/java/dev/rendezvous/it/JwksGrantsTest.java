package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.Rendezvous;
import dev.rendezvous.admission.JwksSettings;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grants from an identity provider's JWKS served by a local HTTP server: verified off the event
 * loops, the keys cached, kept through an outage of the provider, and a rotated key picked up.
 * The cache lives 2 s here (5 min by default) so that the outage outlasts it.
 */
class JwksGrantsTest {

    private static final JwksSettings FAST = new JwksSettings(Duration.ofSeconds(2), Duration.ofMillis(300),
            Duration.ofMillis(500), Duration.ofHours(1), Duration.ofMillis(100), Duration.ofMillis(500), 64 * 1024, 2,
            64);

    private HttpServer provider;
    private final AtomicReference<JWKSet> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile boolean down;
    private volatile java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(0);
    private Rendezvous node;

    @BeforeEach
    void start() throws Exception {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try {
                hold.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = served.get().toString(true).getBytes(StandardCharsets.UTF_8);
            if (down) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        provider.start();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        provider.stop(0);
    }

    private void startNode() throws Exception {
        URI jwks = URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/.well-known/jwks.json");
        // One event loop: a fetch that blocked it would stop every socket of the node.
        node = Rendezvous.start(TestServer.config().ioThreads(1).auth(new AuthConfig(List.of(), null, jwks, "https://idp.test",
                "rendezvous", "sub", Duration.ofSeconds(30))).build(), FAST);
    }

    private static RSAKey key(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    }

    private static String grant(RSAKey key, String id) throws Exception {
        return Grants.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                Grants.claims(id, Duration.ofHours(1)).issuer("https://idp.test").audience("rendezvous").build(),
                new RSASSASigner(key));
    }

    private TestClient.Close outcome(String id, String token) throws Exception {
        try (TestClient client = TestClient.connect(TestClient.uri(node.port(), id, "token=" + token))) {
            return client.echoOrClose(id);
        }
    }

    @Test
    void verifiesWithTheProvidersKeysAndKeepsThemThroughAnOutage() throws Exception {
        RSAKey current = key("k1");
        served.set(new JWKSet(current.toPublicJWK()));
        startNode();
        assertThat(outcome("alice", grant(current, "alice"))).isNull();
        RSAKey stranger = key("k1");
        assertThat(outcome("alice", grant(stranger, "alice"))).as("same kid, another key")
                .isEqualTo(new TestClient.Close(4401, "token invalid"));

        down = true;
        long downSince = System.nanoTime();
        int before = fetches.get();
        // No event says "the cache expired": ask until it must have, and the provider was asked meanwhile.
        Await.until(() -> System.nanoTime() - downSince > FAST.cacheTtl().plus(FAST.refreshTimeout()).toNanos()
                && fetches.get() > before, "the cache expired during the outage and the provider was asked again");
        assertThat(outcome("bob", grant(current, "bob"))).as("the last keys are kept while the provider is down")
                .isNull();
        assertThat(outcome("bob", grant(stranger, "bob"))).isEqualTo(new TestClient.Close(4401, "token invalid"));
    }

    @Test
    void picksUpAKeyTheProviderRotatedIn() throws Exception {
        RSAKey first = key("k1");
        served.set(new JWKSet(first.toPublicJWK()));
        startNode();
        assertThat(outcome("alice", grant(first, "alice"))).isNull();

        RSAKey second = key("k2");
        served.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())));
        assertThat(outcome("carol", grant(second, "carol"))).as("an unknown kid makes the node fetch again").isNull();
        assertThat(outcome("dave", grant(first, "dave"))).isNull();
    }

    @Test
    void aSlowProviderNeverStallsTheEventLoop() throws Exception {
        RSAKey first = key("k1");
        served.set(new JWKSet(first.toPublicJWK()));
        startNode();
        try (TestClient alice = TestClient.connect(TestClient.uri(node.port(), "alice", "token=" + grant(first, "alice")));
             TestClient bob = TestClient.connect(TestClient.uri(node.port(), "bob", "token=" + grant(first, "bob")))) {
            assertThat(alice.echoOrClose("alice")).isNull();
            RSAKey second = key("k2");
            served.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())));
            hold = new java.util.concurrent.CountDownLatch(1);
            int before = fetches.get();
            java.util.concurrent.CompletableFuture<TestClient> waiting = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return TestClient.connect(TestClient.uri(node.port(), "carol", "token=" + grant(second, "carol")));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Await.until(() -> fetches.get() > before, "carol's unknown kid makes the node ask the provider");
            for (int n = 0; n < 5; n++) {
                alice.send("{\"to\":\"bob\",\"n\":" + n + "}");
                assertThat(bob.receive()).as("relayed while the provider keeps the fetch waiting")
                        .isEqualTo("{\"to\":\"bob\",\"n\":" + n + "}");
            }
            hold.countDown();
            try (TestClient carol = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(carol.echoOrClose("carol")).isNull();
            }
        }
    }

    @Test
    void aProviderThatNeverAnsweredMeansTryAgainLater() throws Exception {
        RSAKey current = key("k1");
        served.set(new JWKSet(current.toPublicJWK()));
        down = true;
        startNode();
        assertThat(outcome("early", grant(current, "early")))
                .isEqualTo(new TestClient.Close(1013, "grant keys unavailable"));
        down = false;
        Await.until(() -> outcome("early", grant(current, "early")) == null, "admitted once the provider answers");
    }

    @Test
    void issuerAndAudienceAreChecked() throws Exception {
        RSAKey current = key("k1");
        served.set(new JWKSet(current.toPublicJWK()));
        startNode();
        String wrongIssuer = Grants.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                Grants.claims("alice", Duration.ofHours(1)).issuer("https://evil.test").audience("rendezvous").build(),
                new RSASSASigner(current));
        String noAudience = Grants.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                Grants.claims("alice", Duration.ofHours(1)).issuer("https://idp.test").build(),
                new RSASSASigner(current));
        assertThat(outcome("alice", wrongIssuer)).isEqualTo(new TestClient.Close(4401, "token invalid"));
        assertThat(outcome("alice", noAudience)).isEqualTo(new TestClient.Close(4401, "token invalid"));
    }
}
