package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Wire contract item 6: size, type and encoding limits close only the offending socket. */
class LimitsTest {

    private static final int LIMIT = 4096;
    /** A node per test, so that IDs released by one test's sockets cannot race the next test's claims. */
    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config().maxMessageBytes(LIMIT));

    private static String messageOfSize(int bytes) {
        String head = "{\"to\":\"bystander\",\"sdp\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    /** The bystander pair still relays after the offender was closed. */
    private static void assertOthersUnaffected(TestClient bystander, TestClient witness) throws InterruptedException {
        witness.send("{\"to\":\"bystander\",\"type\":\"offer\"}");
        assertThat(bystander.receive()).isEqualTo("{\"to\":\"bystander\",\"type\":\"offer\"}");
    }

    @Test
    void acceptsAMessageOfExactlyTheLimit() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient sender = TestClient.connect(server.port(), "sender")) {
            String message = messageOfSize(LIMIT);
            sender.send(message);
            assertThat(bystander.receive()).isEqualTo(message);
        }
    }

    @Test
    void closesWith1009WhenAMessageIsOverTheLimit() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient witness = TestClient.connect(server.port(), "witness");
             TestClient offender = TestClient.connect(server.port(), "offender")) {
            offender.send(messageOfSize(LIMIT + 1));
            assertThat(offender.awaitClose().code()).isEqualTo(1009);
            assertOthersUnaffected(bystander, witness);
        }
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToMoreThanTheLimit() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient witness = TestClient.connect(server.port(), "witness");
             TestClient offender = TestClient.connect(server.port(), "offender")) {
            String chunk = "y".repeat(LIMIT / 2);
            offender.sendFragmented("{\"to\":\"bystander\",\"sdp\":\"", chunk, chunk, "\"}");
            assertThat(offender.awaitClose().code()).isEqualTo(1009);
            assertThat(bystander.poll(java.time.Duration.ofMillis(100))).isNull();
            assertOthersUnaffected(bystander, witness);
        }
    }

    @Test
    void closesWith1003OnABinaryFrame() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient witness = TestClient.connect(server.port(), "witness");
             RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            offender.sendFrame(RawWebSocket.BINARY, true, "{\"to\":\"bystander\"}".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1003);
            assertThat(bystander.poll(java.time.Duration.ofMillis(100))).isNull();
            assertOthersUnaffected(bystander, witness);
        }
    }

    @Test
    void closesWith1007OnInvalidUtf8() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient witness = TestClient.connect(server.port(), "witness");
             RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            byte[] head = "{\"to\":\"bystander\",\"sdp\":\"".getBytes(StandardCharsets.UTF_8);
            byte[] message = new byte[head.length + 4];
            System.arraycopy(head, 0, message, 0, head.length);
            message[head.length] = (byte) 0xC3;
            message[head.length + 1] = (byte) 0x28;
            message[head.length + 2] = '"';
            message[head.length + 3] = '}';
            offender.sendFrame(RawWebSocket.TEXT, true, message);
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(bystander.poll(java.time.Duration.ofMillis(100))).isNull();
            assertOthersUnaffected(bystander, witness);
        }
    }

    @Test
    void closesWith1007OnInvalidUtf8SplitAcrossFragments() throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            offender.sendFrame(RawWebSocket.TEXT, false, "{\"to\":\"bystander\",\"sdp\":\"\u00e9".getBytes(StandardCharsets.UTF_8));
            offender.sendFrame(RawWebSocket.CONTINUATION, true, new byte[] {(byte) 0xE2, (byte) 0x28, '"', '}'});
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(bystander.poll(java.time.Duration.ofMillis(100))).isNull();
        }
    }
}
