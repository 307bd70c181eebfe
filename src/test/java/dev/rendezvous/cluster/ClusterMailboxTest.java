package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.NumberedFlood;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mailbox across two nodes sharing a real Redis ({@code --mailbox-ttl 3s}, 64 KiB per recipient): a caller on node A writes to an ID nobody holds; the callee connects to node B and
 * gets the held messages once, in order, before and in order with what follows; expiry, a full
 * mailbox and a departing sender are reported or cleaned up across the nodes too.
 */
class ClusterMailboxTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final int MAX_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();
    private static RedisServer redis;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        MailboxConfig mailbox = new MailboxConfig(TTL, 10_000, MAX_BYTES, 64L * 1024 * 1024);
        a = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("mail-a").mailbox(mailbox).build());
        b = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("mail-b").mailbox(mailbox).build());
    }

    @AfterAll
    static void stopCluster() {
        for (TestServer node : new TestServer[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static TestClient connect(TestServer node, String id) throws Exception {
        return TestClient.connectOnceFree(node.port(), id, Duration.ofSeconds(5));
    }

    @Test
    void aCalleeConnectingToAnotherNodeGetsTheHeldMessagesOnceInOrder() throws Exception {
        try (TestClient caller = connect(a, "caller-1")) {
            for (int n = 1; n <= 3; n++) {
                caller.send("{\"to\":\"callee-1\",\"n\":" + n + "}");
                assertThat(caller.receive()).isEqualTo("{\"type\":\"held\",\"to\":\"caller-1\",\"peer\":\"callee-1\"}");
            }
            assertThat(redis.command("HLEN", "rdv:mailbox:callee-1")).as("three entries, n, c and b").isEqualTo(":6");
            try (TestClient callee = TestClient.connect(b.port(), "callee-1")) {
                for (int n = 1; n <= 3; n++) {
                    assertThat(callee.receive()).isEqualTo("{\"to\":\"callee-1\",\"n\":" + n + "}");
                }
                caller.send("{\"to\":\"callee-1\",\"n\":4}");
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee-1\",\"n\":4}");
                assertThat(callee.poll(Duration.ofMillis(300))).as("nothing twice").isNull();
                assertThat(redis.command("EXISTS", "rdv:mailbox:callee-1")).isEqualTo(":0");
            }
            assertThat(caller.poll(TTL.plusMillis(500))).as("a drained message is not reported expired").isNull();
        }
    }

    @Test
    void heldAndLiveMessagesAcrossNodesArriveInTheOrderTheyWereSent() throws Exception {
        try (TestClient caller = connect(a, "caller-2")) {
            NumberedFlood flood = NumberedFlood.start(caller, "callee-2");
            TestClient callee;
            try {
                Await.until(() -> flood.sent() > 100, "messages held in Redis");
                callee = TestClient.connect(b.port(), "callee-2");
                int atConnect = flood.sent();
                Await.until(() -> flood.sent() > atConnect + 300, "messages sent after the callee connected");
            } finally {
                flood.close();
            }
            try (callee) {
                caller.send("{\"to\":\"callee-2\",\"last\":true}");
                List<Integer> received = new ArrayList<>();
                String message;
                while (!(message = callee.receive()).contains("last")) {
                    received.add(Integer.parseInt(field(message, "n")));
                }
                List<Integer> expected = new ArrayList<>();
                for (int n = 1; n <= flood.sent(); n++) {
                    expected.add(n);
                }
                assertThat(received).isEqualTo(expected);
            }
            String frame;
            while ((frame = caller.poll(Duration.ofMillis(100))) != null) {
                assertThat(frame).as("only held notices, no error").startsWith("{\"type\":\"held\"");
            }
        }
    }

    @Test
    void aMessageHeldInRedisExpiresWithANoticeToItsSendersNode() throws Exception {
        try (TestClient caller = connect(a, "caller-3")) {
            long sentAt = System.nanoTime();
            caller.send("{\"to\":\"never-3\",\"n\":1}");
            assertThat(field(caller.receive(), "type")).isEqualTo("held");
            String expired = caller.receive();
            assertThat(field(expired, "error")).isEqualTo("expired");
            assertThat(field(expired, "peer")).isEqualTo("never-3");
            assertThat(field(expired, "to")).isEqualTo("caller-3");
            assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(TTL)
                    .isLessThan(TTL.plusSeconds(3));
            assertThat(redis.command("EXISTS", "rdv:mailbox:never-3")).isEqualTo(":0");
            try (TestClient late = TestClient.connect(b.port(), "never-3")) {
                assertThat(late.echoOrClose("never-3")).as("nothing delivered after expiry").isNull();
            }
        }
    }

    @Test
    void aFullMailboxInRedisRefusesAtOnce() throws Exception {
        try (TestClient caller = connect(a, "caller-4")) {
            String body = "x".repeat(20_000);
            for (int n = 1; n <= 3; n++) {
                caller.send("{\"to\":\"full-4\",\"n\":" + n + ",\"pad\":\"" + body + "\"}");
                assertThat(field(caller.receive(), "type")).isEqualTo("held");
            }
            caller.send("{\"to\":\"full-4\",\"n\":4,\"pad\":\"" + body + "\"}");
            String refusal = caller.receive();
            assertThat(field(refusal, "error")).isEqualTo("mailbox-full");
            assertThat(field(refusal, "peer")).isEqualTo("full-4");
        }
    }

    @Test
    void aSenderThatLeavesTakesItsHeldMessagesOutOfRedis() throws Exception {
        try (TestClient caller = connect(a, "caller-5")) {
            caller.send("{\"to\":\"ghost-5\",\"n\":1}");
            assertThat(field(caller.receive(), "type")).isEqualTo("held");
            assertThat(redis.command("EXISTS", "rdv:mailbox:ghost-5")).isEqualTo(":1");
        }
        Await.until(() -> ":0".equals(redis.command("EXISTS", "rdv:mailbox:ghost-5")), "the gone sender's entry removed");
        try (TestClient ghost = TestClient.connect(b.port(), "ghost-5")) {
            assertThat(ghost.echoOrClose("ghost-5")).as("nothing held for a gone sender").isNull();
        }
    }

    /** A top-level scalar field of a frame, or null. */
    private static String field(String json, String name) throws Exception {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String at = parser.currentName();
                parser.nextToken();
                if (at.equals(name)) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        }
        return null;
    }
}
