package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients misbehaving in every documented way at once, on the same event loop (and so the
 * same shared JSON parser) as a well-behaved pair. Each abuser gets exactly the documented answer
 * — error frames for bad messages, the close code of its first fatal frame — and the pair's
 * messages all arrive, intact and in order. Netty's leak detector runs at paranoid level here, and
 * {@code LeakGuard} fails the class on any leaked buffer.
 */
class AbusiveClientsTest {

    private static final int LIMIT = 4096;
    private static final int ABUSERS = 60;
    private static final int CALM_MESSAGES = 2_000;
    private static final Set<String> DOCUMENTED_ERRORS =
            Set.of("bad-json", "missing-to", "from-mismatch", "peer-unavailable");

    /** One event loop: every socket shares its parser and its queue. */
    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config().ioThreads(1).maxMessageBytes(LIMIT));

    /** What an abuser sends last: a fatal frame and the close it must get, or an echo to itself. */
    private enum Ending {
        BINARY(1003, "binary frames not supported"), INVALID_UTF8(1007, "invalid utf-8"),
        OVERSIZED(1009, "message too big"), CONTINUATION_WITHOUT_START(1002, "protocol error"),
        FRAGMENTED_PING(1002, "protocol error"), RESERVED_OPCODE(1002, "protocol error"),
        RESERVED_BIT(1002, "protocol error"), UNMASKED(1002, "protocol error"),
        NEW_MESSAGE_INSIDE_FRAGMENTS(1002, "protocol error"), CLIENT_CLOSE(1000, "done"), ECHO_TO_SELF(0, null);

        final int closeCode;
        final String closeReason;

        Ending(int closeCode, String closeReason) {
            this.closeCode = closeCode;
            this.closeReason = closeReason;
        }
    }

    @Test
    void abusersGetTheirDocumentedAnswersAndTheCalmPairIsUntouched() throws Exception {
        long seed = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (TestClient calmA = TestClient.connect(server.port(), "calm-a");
             TestClient calmB = TestClient.connect(server.port(), "calm-b")) {
            List<Future<Void>> abusers = new ArrayList<>();
            for (int i = 0; i < ABUSERS; i++) {
                SplittableRandom random = new SplittableRandom(seed + i);
                String id = "abuser:" + i;
                Ending ending = Ending.values()[i % Ending.values().length];
                abusers.add(pool.submit(() -> abuse(id, ending, random)));
            }
            for (int seq = 0; seq < CALM_MESSAGES; seq++) {
                calmA.send(calmMessage(seq));
            }
            // Nothing an abuser sends may reach calm-b: its spoofs of calm-a included.
            for (int seq = 0; seq < CALM_MESSAGES; seq++) {
                assertThat(calmB.receive()).as("seed %d", seed).isEqualTo(calmMessage(seq));
            }
            for (Future<Void> abuser : abusers) {
                abuser.get(TestClient.WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            }
            assertThat(calmB.poll(Duration.ZERO)).as("seed %d: calm-b got only calm-a's messages", seed).isNull();
            assertThat(calmA.poll(Duration.ZERO)).as("seed %d: calm-a got nothing back", seed).isNull();
        } finally {
            pool.shutdownNow();
        }
        // Every abuser's ID was released: the IDs can be taken again at once.
        for (int i = 0; i < ABUSERS; i++) {
            try (TestClient again = TestClient.connect(server.port(), "abuser:" + i)) {
                again.send("{\"to\":\"abuser:" + i + "\"}");
                assertThat(again.receive()).isEqualTo("{\"to\":\"abuser:" + i + "\"}");
            }
        }
    }

    private static String calmMessage(int seq) {
        return "{\"to\":\"calm-b\",\"from\":\"calm-a\",\"type\":\"candidate\",\"seq\":" + seq + "}";
    }

    /** Sends a random run of bad but survivable frames, then an ending; checks every answer. */
    private Void abuse(String id, Ending ending, SplittableRandom random) throws IOException {
        int survivable = random.nextInt(12);
        int messages = 0;
        int pings = 0;
        try (RawWebSocket socket = RawWebSocket.connect(server.port(), id)) {
            for (int i = 0; i < survivable; i++) {
                int kind = random.nextInt(6);
                switch (kind) {
                    case 0 -> socket.sendText(mangledJson(random));
                    case 1 -> socket.sendText("{\"to\":\"nobody-" + random.nextInt(100) + "\",\"type\":\"offer\"}");
                    case 2 -> socket.sendText("{\"to\":\"calm-b\",\"from\":\"calm-a\",\"seq\":-1}");
                    case 3 -> {
                        socket.sendFrame(RawWebSocket.TEXT, false, utf8("{\"to\":\"nobody\","));
                        socket.sendFrame(RawWebSocket.PING, true, new byte[] {1, 2});
                        pings++;
                        socket.sendFrame(RawWebSocket.CONTINUATION, true, utf8("\"x\":1}"));
                    }
                    case 4 -> {
                        socket.sendFrame(RawWebSocket.PING, true, utf8("ping"));
                        pings++;
                    }
                    default -> socket.sendFrame(RawWebSocket.PONG, true, new byte[0]);
                }
                if (kind <= 3) {
                    messages++;
                }
            }
            sendEnding(socket, id, ending);
            checkAnswers(socket, id, ending, messages, pings);
            return null;
        }
    }

    private static String mangledJson(SplittableRandom random) {
        String[] shapes = {
            "{\"to\":\"calm-b\"", "{\"to\":\"calm-b\",}", "[\"to\",\"calm-b\"]", "{\"to\":42}", "{}", "",
            "{\"to\":\"calm-b\",\"to\":\"x\"}", "{\"to\":\"calm-b\"} {}", "{\"to\":\"calm-b\",\"sdp\":\"", "}",
            "{\"to\":\"calm-b\",\"from\":\"calm-b\",\"from\":\"x\"}", "{\"to\":{\"to\":\"calm-b\"}}", "nul",
            "{\"to\":\"\"}",
            "{\"to\":\"" + "x".repeat(300) + "\"}", "{\"a\":" + "[".repeat(1200) + "]".repeat(1200) + "}",
        };
        return shapes[random.nextInt(shapes.length)];
    }

    private static void sendEnding(RawWebSocket socket, String id, Ending ending) throws IOException {
        switch (ending) {
            case BINARY -> socket.sendFrame(RawWebSocket.BINARY, true, new byte[] {1, 2, 3});
            case INVALID_UTF8 -> socket.sendFrame(RawWebSocket.TEXT, true,
                    new byte[] {'{', '"', 't', 'o', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'});
            case OVERSIZED -> socket.sendText("{\"to\":\"calm-b\",\"sdp\":\"" + "x".repeat(LIMIT) + "\"}");
            case CONTINUATION_WITHOUT_START -> socket.sendFrame(RawWebSocket.CONTINUATION, true, utf8("{}"));
            case FRAGMENTED_PING -> socket.sendFrame(RawWebSocket.PING, false, new byte[] {1});
            case RESERVED_OPCODE -> socket.sendFrame(0x3, true, utf8("{}"));
            case RESERVED_BIT -> writeRaw(socket, new byte[] {(byte) 0xC1, (byte) 0x82, 0, 0, 0, 0, '{', '}'});
            case UNMASKED -> writeRaw(socket, new byte[] {(byte) 0x81, 0x02, '{', '}'});
            case NEW_MESSAGE_INSIDE_FRAGMENTS -> {
                socket.sendFrame(RawWebSocket.TEXT, false, utf8("{\"to\":"));
                socket.sendFrame(RawWebSocket.TEXT, true, utf8("{}"));
            }
            case CLIENT_CLOSE -> socket.sendFrame(RawWebSocket.CLOSE, true, closeFrame(1000, "done"));
            case ECHO_TO_SELF -> socket.sendText(echo(id));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] closeFrame(int code, String reason) {
        byte[] text = utf8(reason);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    private static String echo(String id) {
        return "{\"to\":\"" + id + "\",\"end\":true}";
    }

    private static void writeRaw(RawWebSocket socket, byte[] bytes) throws IOException {
        socket.socket().getOutputStream().write(bytes);
        socket.socket().getOutputStream().flush();
    }

    /** Reads until the ending shows; every frame before it must be a documented answer. */
    private static void checkAnswers(RawWebSocket socket, String id, Ending ending, int messages, int pings)
            throws IOException {
        int errors = 0;
        int pongs = 0;
        while (true) {
            RawWebSocket.Frame frame = socket.readFrame();
            assertThat(frame).as("%s: the server must answer with a close frame, not just end the connection", id)
                    .isNotNull();
            switch (frame.opcode()) {
                case RawWebSocket.CLOSE -> {
                    assertThat(frame.closeCode()).as("%s ended with %s", id, ending).isEqualTo(ending.closeCode);
                    assertThat(frame.closeReason()).as("%s ended with %s", id, ending).isEqualTo(ending.closeReason);
                    assertThat(errors).as("%s: one error per message", id).isEqualTo(messages);
                    return;
                }
                case RawWebSocket.PONG -> assertThat(++pongs).as("%s: a pong per ping", id).isLessThanOrEqualTo(pings);
                case RawWebSocket.TEXT -> {
                    String text = frame.text();
                    if (ending == Ending.ECHO_TO_SELF && text.equals(echo(id))) {
                        assertThat(errors).as("%s: one error per message", id).isEqualTo(messages);
                        return;
                    }
                    Map<String, String> fields = Json.fields(text);
                    assertThat(fields).as("%s got %s", id, text).containsEntry("type", "error").containsEntry("to", id);
                    assertThat(DOCUMENTED_ERRORS).as("%s got %s", id, text).contains(fields.get("error"));
                    errors++;
                }
                default -> throw new AssertionError(id + ": unexpected frame opcode " + frame.opcode());
            }
        }
    }
}
