package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire contract item 2: exact bytes, in order, for every pair. */
class RelayContractTest {

    /** A node per test, so that IDs released by one test's sockets cannot race the next test's claims. */
    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();



    @ParameterizedTest
    @ValueSource(strings = {
        "{\"to\":\"bob\",\"from\":\"alice\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}",
        "{\"to\":\"bob\",\"type\":\"candidate\",\"sdp\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
        "{ \"sdp\" : \"h\u00e9llo \u2603 \ud83d\ude00 \\u00e9\\ud83d\\ude00\" , \"to\" : \"bob\" }",
        "{\"to\":\"bob\",\"sdp\":\"quote \\\" backslash \\\\ slash \\/ tab \\t\",\"nested\":{\"to\":\"mallory\",\"from\":\"eve\",\"a\":[1,2.5e3,true,null,{\"b\":[]}]}}",
        "{\"type\":\"answer\",\"to\":\"bob\",\"from\":\"alice\",\"extra\":null,\"n\":-0.0}"})
    void forwardsTheExactBytesReceived(String message) throws Exception {
        try (TestClient alice = TestClient.connect(server.port(), "alice");
             TestClient bob = TestClient.connect(server.port(), "bob")) {
            alice.send(message);
            assertThat(bob.receive()).isEqualTo(message);
        }
    }

    @Test
    void forwardsA10KilobyteSdpUnchanged() throws Exception {
        StringBuilder sdp = new StringBuilder();
        for (int line = 0; sdp.length() < 10_240; line++) {
            sdp.append("a=candidate:").append(line).append(" 1 udp 2122260223 127.0.0.1 ")
                    .append(50_000 + line).append(" typ host generation 0\\r\\n");
        }
        String message = "{\"to\":\"big-b\",\"from\":\"big-a\",\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}";
        try (TestClient a = TestClient.connect(server.port(), "big-a");
             TestClient b = TestClient.connect(server.port(), "big-b")) {
            a.send(message);
            assertThat(b.receive()).isEqualTo(message);
        }
    }

    @Test
    void reassemblesAFragmentedMessage() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "frag-a");
             TestClient b = TestClient.connect(server.port(), "frag-b")) {
            a.sendFragmented("{\"to\":\"fr", "ag-b\",\"sdp\":\"", "x".repeat(5000), "\"}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"frag-b\",\"sdp\":\"" + "x".repeat(5000) + "\"}");
        }
    }

    @Test
    void keeps10000MessagesFromOneSenderInOrder() throws Exception {
        int count = 10_000;
        try (TestClient a = TestClient.connect(server.port(), "order-a");
             TestClient b = TestClient.connect(server.port(), "order-b")) {
            for (int i = 0; i < count; i++) {
                a.send("{\"to\":\"order-b\",\"type\":\"candidate\",\"seq\":" + i + "}");
            }
            for (int i = 0; i < count; i++) {
                assertThat(b.receive()).isEqualTo("{\"to\":\"order-b\",\"type\":\"candidate\",\"seq\":" + i + "}");
            }
        }
    }

    @Test
    void relays200ConcurrentPairsWithoutCrossTalk() throws Exception {
        int pairs = 200;
        int messagesEach = 20;
        List<TestClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int p = 0; p < pairs; p++) {
                clients.add(TestClient.connect(server.port(), "pair-" + p + "-caller"));
                clients.add(TestClient.connect(server.port(), "pair-" + p + "-callee"));
            }
            List<Future<Boolean>> results = new ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                TestClient caller = clients.get(2 * p);
                TestClient callee = clients.get(2 * p + 1);
                String from = "pair-" + p + "-caller";
                String to = "pair-" + p + "-callee";
                Callable<Boolean> exchange = () -> {
                    for (int i = 0; i < messagesEach; i++) {
                        caller.send("{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"seq\":" + i + "}");
                    }
                    for (int i = 0; i < messagesEach; i++) {
                        assertThat(callee.receive())
                                .isEqualTo("{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"seq\":" + i + "}");
                    }
                    callee.send("{\"to\":\"" + from + "\",\"from\":\"" + to + "\",\"type\":\"answer\"}");
                    assertThat(caller.receive()).isEqualTo("{\"to\":\"" + from + "\",\"from\":\"" + to + "\",\"type\":\"answer\"}");
                    return true;
                };
                results.add(pool.submit(exchange));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
            for (TestClient client : clients) {
                assertThat(client.poll(java.time.Duration.ZERO)).as("no stray message").isNull();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void deliversToOneselfWhenAddressedToOneself() throws Exception {
        try (TestClient self = TestClient.connect(server.port(), "narcissus")) {
            self.send("{\"to\":\"narcissus\",\"type\":\"note\"}");
            assertThat(self.receive()).isEqualTo("{\"to\":\"narcissus\",\"type\":\"note\"}");
        }
    }
}
