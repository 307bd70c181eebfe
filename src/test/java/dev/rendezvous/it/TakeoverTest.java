package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.NumberedFlood;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Taking back one's own ID on one node: a newer socket with the holder's session key replaces it
 * (4410 to the old one), and every message sent after the newcomer's 101 reaches the newcomer.
 * Without the same key, the newcomer still gets 4409.
 */
class TakeoverTest {

    private static final String KEY = "tab-key-0123456789abcdefABCDEF_-";
    private static final String OTHER_KEY = "another-tab-key-0123456789abcdef";

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    private TestClient withKey(String id, String key) throws Exception {
        return TestClient.connect(TestClient.uri(server.port(), id, "session=" + key));
    }

    @Test
    void theSameKeyReplacesTheHolderAndTheNewcomerGetsEveryMessageAfterIts101() throws Exception {
        try (TestClient sender = TestClient.connect(server.port(), "sender");
             TestClient old = withKey("refresher", KEY)) {
            assertThat(old.echoOrClose("refresher")).isNull();
            NumberedFlood flood = NumberedFlood.start(sender, "refresher");
            int sentBefore;
            TestClient newcomer;
            try {
                newcomer = withKey("refresher", KEY);
                sentBefore = flood.sent();
                while (flood.sent() < sentBefore + 200) {
                    Thread.onSpinWait();
                }
            } finally {
                flood.close();
            }
            try (newcomer) {
                assertThat(old.awaitClose()).isEqualTo(new TestClient.Close(4410, "replaced"));
                sender.send("{\"to\":\"refresher\",\"last\":true}");
                List<Integer> received = new ArrayList<>();
                String message;
                while (!(message = newcomer.receive()).contains("last")) {
                    received.add(Integer.parseInt(Json.fields(message).get("n")));
                }
                int last = flood.sent();
                // Everything sent once the newcomer held its 101 arrived, in order, nothing twice.
                List<Integer> expected = new ArrayList<>();
                for (int n = sentBefore + 1; n <= last; n++) {
                    expected.add(n);
                }
                assertThat(received).containsSubsequence(expected).endsWith(last);
                assertThat(received.subList(received.indexOf(sentBefore + 1), received.size())).isEqualTo(expected);
            }
        }
    }

    @Test
    void theOldSocketsCloseDoesNotFreeTheNewcomersId() throws Exception {
        try (TestClient old = withKey("kept", KEY)) {
            assertThat(old.echoOrClose("kept")).isNull();
            try (TestClient newcomer = withKey("kept", KEY)) {
                assertThat(old.awaitClose().code()).isEqualTo(4410);
                try (TestClient intruder = TestClient.connect(server.port(), "kept")) {
                    assertThat(intruder.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
                }
                assertThat(newcomer.echoOrClose("kept")).isNull();
            }
        }
    }

    @Test
    void anotherKeyOrNoKeyStillGets4409() throws Exception {
        try (TestClient keyed = withKey("keyed", KEY);
             TestClient plain = TestClient.connect(server.port(), "plain")) {
            assertThat(keyed.echoOrClose("keyed")).isNull();
            assertThat(plain.echoOrClose("plain")).isNull();
            try (TestClient wrongKey = withKey("keyed", OTHER_KEY);
                 TestClient noKey = TestClient.connect(server.port(), "keyed");
                 TestClient keyOnPlain = withKey("plain", KEY)) {
                assertThat(wrongKey.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
                assertThat(noKey.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
                assertThat(keyOnPlain.awaitClose()).as("a holder without a key cannot be replaced")
                        .isEqualTo(new TestClient.Close(4409, "id taken"));
            }
            assertThat(keyed.echoOrClose("keyed")).isNull();
            assertThat(plain.echoOrClose("plain")).isNull();
        }
    }

    @Test
    void aMalformedSessionKeyIs400BeforeTheUpgrade() throws Exception {
        String expected = "session key must be 22-128 characters of A-Z a-z 0-9 - _\n";
        for (String bad : List.of("short", "x".repeat(129), "has%20space-0123456789abcdef", "dots.are.not.allowed.here",
                "", "%E2%98%83-0123456789abcdefghijk")) {
            HttpProbe.Response response = upgrade("/websocket/?finger=a&session=" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).isEqualTo(expected);
        }
        HttpProbe.Response twice = upgrade("/websocket/?finger=a&session=" + KEY + "&session=" + KEY);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body()).isEqualTo("more than one session parameter\n");
        try (RawWebSocket fine = RawWebSocket.open(server.port(), "/websocket/?finger=a&session=" + "k".repeat(22))) {
            assertThat(fine.upgraded()).isTrue();
        }
    }

    private HttpProbe.Response upgrade(String pathAndQuery) throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(server.port(), pathAndQuery)) {
            String status = socket.statusLine();
            byte[] rest = socket.socket().getInputStream().readAllBytes();
            String text = new String(rest, java.nio.charset.StandardCharsets.UTF_8);
            return new HttpProbe.Response(Integer.parseInt(status.split(" ")[1]), status, text);
        }
    }
}
