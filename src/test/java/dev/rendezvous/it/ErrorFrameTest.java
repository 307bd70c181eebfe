package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire contract items 3 and 4: anti-spoofing and error frames, after which the socket still works. */
class ErrorFrameTest {

    /** A node per test, so that IDs released by one test's sockets cannot race the next test's claims. */
    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();



    private static void assertErrorFrame(String frame, String ownId, String code) {
        Map<String, String> fields = Json.fields(frame);
        assertThat(fields).containsEntry("type", "error").containsEntry("to", ownId).containsEntry("error", code);
        assertThat(fields.get("detail")).isNotBlank();
    }

    /** Proves the socket is still open and relaying after an error. */
    private static void assertStillRelays(TestClient sender, String senderId, TestClient receiver, String receiverId)
            throws InterruptedException {
        String message = "{\"to\":\"" + receiverId + "\",\"from\":\"" + senderId + "\",\"type\":\"offer\"}";
        sender.send(message);
        assertThat(receiver.receive()).isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[\"to\",\"b\"]", "\"to\"", "42", "{\"to\":\"err-b\"", "{\"to\":\"err-b\"} {}",
        "{\"to\":\"err-b\",\"to\":\"err-c\"}", "{\"to\":\"err-b\",\"from\":\"err-a\",\"from\":\"err-b\"}", "", "{\"to\":\"err-b\",}"})
    void answersBadJsonAndStaysUsable(String message) throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b")) {
            a.send(message);
            assertErrorFrame(a.receive(), "err-a", "bad-json");
            assertStillRelays(a, "err-a", b, "err-b");
            assertThat(b.poll(java.time.Duration.ofMillis(100))).as("nothing else reached b").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":\"offer\"}", "{\"to\":42}", "{\"to\":null}", "{\"to\":{\"id\":\"err-b\"}}",
        "{\"nested\":{\"to\":\"err-b\"}}"})
    void answersMissingToAndStaysUsable(String message) throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b")) {
            a.send(message);
            assertErrorFrame(a.receive(), "err-a", "missing-to");
            assertStillRelays(a, "err-a", b, "err-b");
        }
    }

    /**
     * A connection reuses the header of its previous message while the recipient and sender stay
     * the same; a change of either, in any order, must still be seen.
     */
    @Test
    void everyMessageIsCheckedWhateverCameBeforeIt() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b");
             TestClient c = TestClient.connect(server.port(), "err-c")) {
            assertStillRelays(a, "err-a", b, "err-b");
            a.send("{\"to\":\"err-b\",\"from\":\"err-c\",\"type\":\"offer\"}");
            assertErrorFrame(a.receive(), "err-a", "from-mismatch");
            assertStillRelays(a, "err-a", b, "err-b");
            assertStillRelays(a, "err-a", c, "err-c");
            a.send("{\"to\":\"err-d\",\"from\":\"err-a\"}");
            assertErrorFrame(a.receive(), "err-a", "peer-unavailable");
            a.send("{\"to\":\"err-c\"}");
            assertThat(c.receive()).isEqualTo("{\"to\":\"err-c\"}");
            a.send("{\"to\":\"err-c\",\"from\":7}");
            assertErrorFrame(a.receive(), "err-a", "from-mismatch");
            assertStillRelays(a, "err-a", c, "err-c");
            assertThat(b.poll(java.time.Duration.ofMillis(100))).as("nothing else reached b").isNull();
            assertThat(c.poll(java.time.Duration.ofMillis(100))).as("nothing else reached c").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"err-b\"", "\"ERR-A\"", "\"\"", "42", "null"})
    void rejectsASpoofedFromAndStaysUsable(String from) throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b")) {
            a.send("{\"to\":\"err-b\",\"from\":" + from + ",\"type\":\"offer\"}");
            assertErrorFrame(a.receive(), "err-a", "from-mismatch");
            assertStillRelays(a, "err-a", b, "err-b");
            assertThat(b.poll(java.time.Duration.ofMillis(100))).as("the spoofed message was not forwarded").isNull();
        }
    }

    @Test
    void forwardsMessagesWithoutFrom() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b")) {
            a.send("{\"to\":\"err-b\",\"type\":\"offer\"}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"err-b\",\"type\":\"offer\"}");
        }
    }

    @Test
    void answersPeerUnavailableNamingThePeer() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a");
             TestClient b = TestClient.connect(server.port(), "err-b")) {
            a.send("{\"to\":\"ghost:00:11\",\"from\":\"err-a\",\"type\":\"offer\"}");
            String frame = a.receive();
            assertErrorFrame(frame, "err-a", "peer-unavailable");
            assertThat(Json.field(frame, "peer")).isEqualTo("ghost:00:11");
            assertStillRelays(a, "err-a", b, "err-b");
        }
    }

    @Test
    void answersPeerUnavailableForAnIdNobodyCouldHold() throws Exception {
        try (TestClient a = TestClient.connect(server.port(), "err-a")) {
            a.send("{\"to\":\"\",\"type\":\"offer\"}");
            String frame = a.receive();
            assertErrorFrame(frame, "err-a", "peer-unavailable");
            assertThat(Json.field(frame, "peer")).isEmpty();
        }
    }

    @Test
    void forwardsSpoofedFromWhenTheCheckIsOff() throws Exception {
        try (TestServer lenient = TestServer.start(TestServer.config().fromCheck(FromCheck.OFF).build());
             TestClient a = TestClient.connect(lenient.port(), "a");
             TestClient b = TestClient.connect(lenient.port(), "b")) {
            a.send("{\"to\":\"b\",\"from\":\"someone-else\"}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"b\",\"from\":\"someone-else\"}");
        }
    }
}
