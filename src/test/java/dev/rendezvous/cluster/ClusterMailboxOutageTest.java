package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster mailbox while Redis is unreachable: the sender always hears something. A message
 * held in Redis before the outage is reported {@code expired} at its TTL (its removal cannot be
 * confirmed, and without Redis it cannot have been drained); a new message for an ID not on this
 * node gets {@code cluster-unavailable}, never a silent hold.
 */
class ClusterMailboxOutageTest {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static RedisServer redis;
    private static TestServer node;

    @BeforeAll
    static void startNode() throws Exception {
        redis = RedisServer.start();
        node = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("outage-a")
                .mailbox(new MailboxConfig(TTL, 32, 64 * 1024, 16L * 1024 * 1024)).build());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void withRedisGoneASenderGetsExpiredForWhatWasHeldAndClusterUnavailableForWhatIsNew() throws Exception {
        try (TestClient caller = TestClient.connectOnceFree(node.port(), "caller", Duration.ofSeconds(5))) {
            caller.send("{\"to\":\"absent-1\",\"n\":1}");
            assertThat(caller.receive()).isEqualTo("{\"type\":\"held\",\"to\":\"caller\",\"peer\":\"absent-1\"}");
            redis.kill();
            try {
                String expired = caller.receive();
                assertThat(expired).contains("\"error\":\"expired\"").contains("\"peer\":\"absent-1\"");
                caller.send("{\"to\":\"absent-2\",\"n\":2}");
                String refused = caller.receive();
                assertThat(refused).contains("\"error\":\"cluster-unavailable\"").contains("\"peer\":\"absent-2\"");
            } finally {
                redis.startAgain();
            }
        }
    }
}
