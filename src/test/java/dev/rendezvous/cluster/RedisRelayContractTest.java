package dev.rendezvous.cluster;

import dev.rendezvous.signaling.AbstractRelayContractTest;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.support.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The relay contract, with each test's two relays being two cluster nodes on one real Redis. */
class RedisRelayContractTest extends AbstractRelayContractTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Relay newRelay() throws Exception {
        redis.command("FLUSHALL");
        return node("one");
    }

    @Override
    protected Relay peerOf(Relay first) {
        return node("two");
    }

    static RedisRelay node(String name) {
        return RedisRelay.connect(new ClusterSettings(redis.uri(), new NodeId(name), Duration.ofSeconds(3),
                Duration.ofSeconds(2), 1000), new LocalRelay());
    }
}
