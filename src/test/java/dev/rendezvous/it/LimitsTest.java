package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
    void closesWith1007OnACloseReasonThatIsNotUtf8() throws Exception {
        try (RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            offender.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28});
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(offender.readFrame()).as("the end of the stream").isNull();
        }
    }

    /** Frames that break RFC 6455, as the bytes a broken client would write. */
    static Stream<Arguments> protocolViolations() {
        byte[] open = "{\"to\":".getBytes(StandardCharsets.UTF_8);
        byte[] object = "{}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("an unmasked frame", new byte[] {(byte) 0x81, 0x02, '{', '}'}),
                Arguments.of("a reserved bit set", masked(0xC1, object)),
                Arguments.of("a reserved opcode", masked(0x83, object)),
                Arguments.of("a fragmented ping", masked(0x09, object)),
                Arguments.of("a ping over 125 bytes", masked(0x89, new byte[126])),
                Arguments.of("a close frame with a one-byte body", masked(0x88, new byte[] {0x03})),
                Arguments.of("a continuation outside a message", masked(0x80, object)),
                Arguments.of("a new message inside a fragmented one", concat(masked(0x01, open), masked(0x81, object))));
    }

    /**
     * The close frame arrives, then the end of the stream — never a reset, even though the client
     * wrote more after the bad frame — and nothing reaches the bystander.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolViolations")
    void closesWith1002OnAProtocolViolation(String violation, byte[] frames) throws Exception {
        try (TestClient bystander = TestClient.connect(server.port(), "bystander");
             TestClient witness = TestClient.connect(server.port(), "witness");
             RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            byte[] more = masked(0x81, "{\"to\":\"bystander\"}".getBytes(StandardCharsets.UTF_8));
            offender.socket().getOutputStream().write(concat(frames, more, more, more));
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).as("a close frame, not just a hang-up").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(close.closeReason()).isEqualTo("protocol error");
            assertThat(offender.readFrame()).as("the end of the stream").isNull();
            assertThat(bystander.poll(java.time.Duration.ofMillis(100))).isNull();
            assertOthersUnaffected(bystander, witness);
        }
    }

    /** One masked frame with {@code firstByte} as FIN, RSV and opcode bits; payloads up to 64 KiB. */
    private static byte[] masked(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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
            offender.sendText("{\"to\":\"bystander\",\"after\":true}");
            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1007);
            assertThat(close.closeReason()).isEqualTo("invalid utf-8");
            assertThat(offender.readFrame()).as("the end of the stream, not a reset").isNull();
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
