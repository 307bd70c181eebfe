package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Taking back an ID across nodes sharing a real Redis: a newcomer on one node replaces a holder on
 * another within a second, the old socket gets 4410 (never 4409, even from a renewal that races
 * the notice), and every message sent after the newcomer's 101 reaches it — from the old node, the
 * new one, and a third node that had cached the old route.
 */
class ClusterTakeoverTest {

    private static final String KEY = "cluster-tab-key-0123456789abcdef";
    private static RedisServer redis;
    private static TestServer one;
    private static TestServer two;
    private static TestServer three;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        one = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("take-one").build());
        two = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("take-two").build());
        three = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("take-three").build());
    }

    @AfterAll
    static void stopCluster() {
        for (TestServer node : new TestServer[] {three, two, one}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static TestClient keyed(TestServer node, String id, String key) throws Exception {
        return TestClient.connect(TestClient.uri(node.port(), id, "session=" + key));
    }

    private static RedisRelay relay(TestServer node) {
        return (RedisRelay) node.node().relay();
    }

    @Test
    void aNewcomerOnAnotherNodeTakesTheIdWithinASecondAndMissesNothingAfterIts101() throws Exception {
        try (TestClient old = keyed(one, "mover", KEY);
             TestClient fromOld = TestClient.connectOnceFree(one.port(), "from-old", Duration.ofSeconds(5));
             TestClient fromNew = TestClient.connectOnceFree(two.port(), "from-new", Duration.ofSeconds(5));
             TestClient fromThird = TestClient.connectOnceFree(three.port(), "from-third", Duration.ofSeconds(5))) {
            assertThat(old.echoOrClose("mover")).isNull();
            // Node three caches the route mover → node one.
            fromThird.send("{\"to\":\"mover\",\"warm\":true}");
            assertThat(old.receive()).isEqualTo("{\"to\":\"mover\",\"warm\":true}");

            long start = System.nanoTime();
            try (TestClient newcomer = keyed(two, "mover", KEY)) {
                long took = System.nanoTime() - start;
                assertThat(old.closeFuture().get(1, TimeUnit.SECONDS)).isEqualTo(new TestClient.Close(4410, "replaced"));
                assertThat(Duration.ofNanos(took)).as("the newcomer's 101").isLessThan(Duration.ofSeconds(1));

                List<String> expected = new ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    for (TestClient sender : List.of(fromOld, fromNew, fromThird)) {
                        String message = "{\"to\":\"mover\",\"from\":\"" + name(sender, fromOld, fromNew) + "\",\"n\":"
                                + n + "}";
                        sender.send(message);
                        expected.add(message);
                    }
                }
                List<String> received = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    received.add(newcomer.receive());
                }
                assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
                for (String sender : List.of("from-old", "from-new", "from-third")) {
                    assertThat(received.stream().filter(m -> m.contains(sender)).toList()).as("in order from " + sender)
                            .isEqualTo(expected.stream().filter(m -> m.contains(sender)).toList());
                }
                for (TestClient sender : List.of(fromOld, fromNew, fromThird)) {
                    assertThat(sender.poll(Duration.ofMillis(50))).as("no error frame").isNull();
                }

                relay(one).renewLeasesNow().get(5, TimeUnit.SECONDS);
                relay(two).renewLeasesNow().get(5, TimeUnit.SECONDS);
                assertThat(newcomer.echoOrClose("mover")).as("renewals leave the newcomer alone").isNull();
            }
        }
    }

    private static String name(TestClient sender, TestClient fromOld, TestClient fromNew) {
        return sender == fromOld ? "from-old" : sender == fromNew ? "from-new" : "from-third";
    }

    @Test
    void anotherKeyOnAnotherNodeStillGets4409() throws Exception {
        try (TestClient holder = keyed(one, "guarded", KEY)) {
            assertThat(holder.echoOrClose("guarded")).isNull();
            try (TestClient wrong = keyed(two, "guarded", "some-other-key-0123456789abcdef");
                 TestClient none = TestClient.connect(three.port(), "guarded")) {
                assertThat(wrong.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
                assertThat(none.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
            }
            assertThat(holder.echoOrClose("guarded")).isNull();
        }
    }

    @Test
    void aRenewalThatFindsItsLeaseTakenOverCloses4410Not4409() throws Exception {
        try (TestClient holder = keyed(one, "raced", KEY)) {
            assertThat(holder.echoOrClose("raced")).isNull();
            // What the takeover script leaves when the notice to node one is still on its way.
            String lease = redis.command("GET", "rdv:id:raced");
            redis.command("SET", "rdv:id:raced", "take-two/feed.1#" + "00".repeat(32) + " " + lease, "PX", "15000");
            relay(one).renewLeasesNow().get(5, TimeUnit.SECONDS);
            assertThat(holder.awaitClose()).isEqualTo(new TestClient.Close(4410, "replaced"));
            assertThat(redis.command("GET", "rdv:id:raced")).as("the old node does not delete the new lease")
                    .startsWith("take-two/feed.1#");
            redis.command("DEL", "rdv:id:raced");
        }
    }

    @Test
    void aTakeoverOnTheSameNodeKeepsTheLease() throws Exception {
        try (TestClient old = keyed(three, "local-move", KEY)) {
            assertThat(old.echoOrClose("local-move")).isNull();
            try (TestClient newcomer = keyed(three, "local-move", KEY)) {
                assertThat(old.awaitClose()).isEqualTo(new TestClient.Close(4410, "replaced"));
                assertThat(newcomer.echoOrClose("local-move")).isNull();
                try (TestClient elsewhere = TestClient.connect(one.port(), "local-move")) {
                    assertThat(elsewhere.awaitClose()).as("the ID is still held cluster-wide")
                            .isEqualTo(new TestClient.Close(4409, "id taken"));
                }
                relay(three).renewLeasesNow().get(5, TimeUnit.SECONDS);
                assertThat(newcomer.echoOrClose("local-move")).isNull();
            }
        }
    }
}
