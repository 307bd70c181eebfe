package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --message-rate over real sockets: rate-limited per message over it, 1008 for a socket that keeps on. */
class MessageRateLimitTest {

    private static final int BURST = 5;

    /** {@code count} masked text frames in one buffer, so the node reads them in one go. */
    private static byte[] frames(String to, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] payload = ("{\"to\":\"" + to + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            out.write(0x81);
            out.write(0x80 | payload.length);
            byte[] mask = {1, 2, 3, 4};
            out.writeBytes(mask);
            for (int j = 0; j < payload.length; j++) {
                out.write(payload[j] ^ mask[j & 3]);
            }
        }
        return out.toByteArray();
    }

    /**
     * One token a second and a burst of five: thirteen messages written at once are five forwarded,
     * five answered with one rate-limited frame each, the fifth refusal closing with 1008, and three
     * ignored by the closing socket; a pair beside it is not affected.
     */
    @Test
    void refusesEachMessageOverTheRateOnceThenClosesASocketThatKeepsOn() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config()
                     .limits(new LimitsConfig(0, 0, 0, 0, 1, BURST)).build());
             TestClient sink = TestClient.connect(server.port(), "sink");
             TestClient calm = TestClient.connect(server.port(), "calm");
             RawWebSocket flooder = RawWebSocket.connect(server.port(), "flooder")) {
            flooder.socket().getOutputStream().write(frames("sink", 2 * BURST + 3));

            List<String> errors = new ArrayList<>();
            RawWebSocket.Frame frame;
            while ((frame = flooder.readAnsweringPings()) != null && frame.opcode() == RawWebSocket.TEXT) {
                errors.add(frame.text());
            }
            assertThat(errors).hasSize(BURST).allSatisfy(error -> assertThat(Json.fields(error))
                    .containsEntry("type", "error").containsEntry("error", "rate-limited")
                    .containsEntry("to", "flooder"));
            assertThat(frame).isNotNull();
            assertThat(frame.closeCode()).isEqualTo(1008);
            assertThat(frame.closeReason()).isEqualTo("rate limit");

            for (int i = 0; i < BURST; i++) {
                assertThat(Json.field(sink.receive(), "n")).isEqualTo(Integer.toString(i));
            }
            assertThat(sink.poll(Duration.ofMillis(200))).as("nothing over the rate is forwarded").isNull();
            calm.send("{\"to\":\"sink\",\"calm\":true}");
            assertThat(sink.receive()).isEqualTo("{\"to\":\"sink\",\"calm\":true}");
        }
    }

    /** Ten messages a second under a limit of twenty: all forwarded, no error, for two seconds. */
    @Test
    void aSenderUnderTheRateNeverNoticesIt() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config()
                     .limits(new LimitsConfig(0, 0, 0, 0, 20, 40)).build());
             TestClient sink = TestClient.connect(server.port(), "sink");
             TestClient sender = TestClient.connect(server.port(), "sender")) {
            for (int i = 0; i < 20; i++) {
                sender.send("{\"to\":\"sink\",\"n\":" + i + "}");
                assertThat(sink.receive()).isEqualTo("{\"to\":\"sink\",\"n\":" + i + "}");
                Thread.sleep(100); // the pace under test, not a synchronisation
            }
            assertThat(sender.poll(Duration.ZERO)).as("no error frame").isNull();
        }
    }
}
