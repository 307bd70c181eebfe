package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.NumberedFlood;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mailbox over real sockets ({@code --mailbox-ttl 10s}): a message for an ID nobody holds is
 * held (the sender is told {@code held}) and delivered first when the ID connects, in order with
 * what follows; a departing sender leaves nothing; a socket taken over with 4410 hands over without losing or repeating a message.
 */
class HeldMessagesTest {

    private static final String KEY = "tab-key-0123456789abcdefABCDEF_-";

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .mailbox(new MailboxConfig(Duration.ofSeconds(10), 100_000, 64 * 1024 * 1024, 128L * 1024 * 1024)));

    private TestClient connect(String id) throws Exception {
        return TestClient.connect(server.port(), id);
    }

    @Test
    void anOfferSentBeforeTheCalleeConnectsIsDeliveredFirstWhenItConnects() throws Exception {
        try (TestClient caller = connect("caller")) {
            caller.send("{\"to\":\"callee\",\"type\":\"offer\",\"sdp\":\"v=0\"}");
            assertThat(caller.receive()).isEqualTo("{\"type\":\"held\",\"to\":\"caller\",\"peer\":\"callee\"}");
            caller.send("{\"to\":\"callee\",\"type\":\"candidate\",\"n\":1}");
            assertThat(Json.field(caller.receive(), "type")).isEqualTo("held");
            try (TestClient callee = connect("callee")) {
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee\",\"type\":\"offer\",\"sdp\":\"v=0\"}");
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee\",\"type\":\"candidate\",\"n\":1}");
                caller.send("{\"to\":\"callee\",\"type\":\"candidate\",\"n\":2}");
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee\",\"type\":\"candidate\",\"n\":2}");
                assertThat(callee.poll(Duration.ofMillis(200))).as("nothing delivered twice").isNull();
            }
            assertThat(caller.poll(Duration.ofMillis(100))).as("no error for a delivered held message").isNull();
        }
    }

    @Test
    void heldAndLiveMessagesArriveInTheOrderTheyWereSent() throws Exception {
        try (TestClient caller = connect("caller")) {
            NumberedFlood flood = NumberedFlood.start(caller, "callee");
            TestClient callee;
            try {
                Await.until(() -> flood.sent() > 100, "some messages are held");
                callee = connect("callee");
                int atConnect = flood.sent();
                Await.until(() -> flood.sent() > atConnect + 500, "messages are sent after the callee connected");
            } finally {
                flood.close();
            }
            try (callee) {
                caller.send("{\"to\":\"callee\",\"last\":true}");
                List<Integer> received = new ArrayList<>();
                String message;
                while (!(message = callee.receive()).contains("last")) {
                    received.add(Integer.parseInt(Json.field(message, "n")));
                }
                List<Integer> expected = new ArrayList<>();
                for (int n = 1; n <= flood.sent(); n++) {
                    expected.add(n);
                }
                assertThat(received).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSenderThatDisconnectsLeavesNothingHeld() throws Exception {
        try (TestClient caller = connect("caller")) {
            caller.send("{\"to\":\"callee\",\"n\":1}");
            assertThat(Json.field(caller.receive(), "type")).isEqualTo("held");
            assertThat(server.node().relay().mailbox().messagesHeld()).isEqualTo(1);
        }
        Await.until(() -> server.node().relay().mailbox().messagesHeld() == 0, "the gone sender's message is dropped");
        assertThat(server.node().relay().mailbox().bytesHeld()).isZero();
        try (TestClient callee = connect("callee")) {
            assertThat(callee.echoOrClose("callee")).as("only its own probe reaches the callee").isNull();
        }
    }

    @Test
    void aSocketReplacedWith4410HandsOverWithoutLosingOrRepeatingAMessage() throws Exception {
        try (TestClient sender = connect("sender");
             TestClient old = TestClient.connect(TestClient.uri(server.port(), "refresher", "session=" + KEY))) {
            assertThat(old.echoOrClose("refresher")).isNull();
            NumberedFlood flood = NumberedFlood.start(sender, "refresher");
            TestClient newcomer;
            try {
                Await.until(() -> flood.sent() > 200, "messages reach the old socket");
                newcomer = TestClient.connect(TestClient.uri(server.port(), "refresher", "session=" + KEY));
                int atConnect = flood.sent();
                Await.until(() -> flood.sent() > atConnect + 200, "messages are sent after the takeover");
            } finally {
                flood.close();
            }
            try (newcomer) {
                assertThat(old.awaitClose()).isEqualTo(new TestClient.Close(4410, "replaced"));
                sender.send("{\"to\":\"refresher\",\"last\":true}");
                List<Integer> toNewcomer = new ArrayList<>();
                String message;
                while (!(message = newcomer.receive()).contains("last")) {
                    toNewcomer.add(Integer.parseInt(Json.field(message, "n")));
                }
                List<Integer> toOld = new ArrayList<>();
                while ((message = old.poll(Duration.ZERO)) != null) {
                    if (message.contains("\"n\"")) {
                        toOld.add(Integer.parseInt(Json.field(message, "n")));
                    }
                }
                Set<Integer> both = new HashSet<>(toOld);
                both.retainAll(toNewcomer);
                assertThat(both).as("delivered twice").isEmpty();
                // The newcomer has every message from its first to the last, in order: nothing the
                // sender wrote while the ID changed hands was refused or dropped.
                int first = toNewcomer.get(0);
                List<Integer> contiguous = new ArrayList<>();
                for (int n = first; n <= flood.sent(); n++) {
                    contiguous.add(n);
                }
                assertThat(toNewcomer).isEqualTo(contiguous);
                assertThat(first).isLessThanOrEqualTo(toOld.isEmpty() ? 1 : toOld.get(toOld.size() - 1) + 1);
                assertThat(sender.poll(Duration.ofMillis(100))).as("no error frame to the sender").isNull();
            }
        }
    }
}
