package dev.rendezvous.cluster;

import static dev.rendezvous.cluster.ClusterIT.awaitBound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.Await;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a cluster behaves when part of it fails: a node killed with SIGKILL, a node stopped
 * gracefully, and Redis itself going away and coming back on the same port.
 */
class ClusterFailureIT {

    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private static RedisServer redis;
    private static TestServer one;
    private static TestServer two;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        one = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("fail-one").leaseTtl(LEASE_TTL).build());
        two = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("fail-two").leaseTtl(LEASE_TTL).build());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (two != null) {
            two.close();
        }
        if (one != null) {
            one.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theIdsOfAKilledNodeAreFreeWithinTheLeaseTtl() throws Exception {
        try (NodeProcess doomed = startProcessNode("fail-killed")) {
            try (TestClient victim = TestClient.connect(doomed.port(), "victim");
                 TestClient sender = TestClient.connect(one.port(), "witness")) {
                awaitBound(victim, "victim");
                awaitBound(sender, "witness");
                doomed.kill();
                long killedAt = System.nanoTime();

                // The lease outlives the node, so the ID is still refused at first ...
                try (TestClient tooEarly = TestClient.connect(two.port(), "victim")) {
                    assertThat(tooEarly.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
                }
                // ... but a message to it is answered at once: nobody listens on the dead node's channel.
                sender.send("{\"to\":\"victim\"}");
                assertThat(sender.receive()).contains("\"error\":\"peer-unavailable\"", "\"peer\":\"victim\"");

                try (TestClient reborn = TestClient.connectOnceFree(two.port(), "victim", LEASE_TTL.plusSeconds(3))) {
                    double seconds = (System.nanoTime() - killedAt) / 1e9;
                    System.out.printf("killed node's id claimable elsewhere after %.2f s (lease ttl %s)%n",
                            seconds, LEASE_TTL);
                    // The last renewal came before the kill, so the lease ends within one TTL of it;
                    // the margin covers this loop's reconnects on a busy machine.
                    assertThat(seconds).isLessThanOrEqualTo(LEASE_TTL.toMillis() / 1000.0 + 1.5);
                    sender.send("{\"to\":\"victim\",\"again\":true}");
                    assertThat(reborn.receive()).isEqualTo("{\"to\":\"victim\",\"again\":true}");
                }
            }
        }
    }

    /**
     * A frozen node (SIGSTOP: a host that lost power, a VM paused, a JVM stuck) keeps its Redis
     * connections open, so Redis still counts it as a subscriber and every PUBLISH to it "succeeds".
     * Its leases lapse within the TTL; once the sender's cached route is too old to trust, the
     * sender looks the ID up again, finds nobody, and answers {@code peer-unavailable}. The bound
     * is two TTLs: the route may be refreshed once just before the lease lapses.
     */
    @Test
    void messagesToAFrozenNodesPeersTurnIntoErrorsWithinTwoLeaseTtls() throws Exception {
        try (NodeProcess frozen = startProcessNode("fail-frozen")) {
            try (TestClient stranded = TestClient.connect(frozen.port(), "stranded");
                 TestClient sender = TestClient.connect(one.port(), "caller")) {
                awaitBound(stranded, "stranded");
                awaitBound(sender, "caller");
                sender.send("{\"to\":\"stranded\",\"n\":0}");
                assertThat(stranded.receive()).isEqualTo("{\"to\":\"stranded\",\"n\":0}");

                frozen.freeze();
                long frozenAt = System.nanoTime();
                try {
                    String answer = null;
                    for (int n = 1; answer == null; n++) {
                        assertThat(System.nanoTime() - frozenAt).as("an error for the frozen node's peer")
                                .isLessThan(LEASE_TTL.multipliedBy(2).plusSeconds(3).toNanos());
                        sender.send("{\"to\":\"stranded\",\"n\":" + n + "}");
                        answer = sender.poll(Duration.ofMillis(100));
                    }
                    System.out.printf("messages to a frozen node's peer answered with an error after %.2f s (lease ttl %s)%n",
                            (System.nanoTime() - frozenAt) / 1e9, LEASE_TTL);
                    assertThat(answer).contains("\"to\":\"caller\"", "\"error\":\"peer-unavailable\"",
                            "\"peer\":\"stranded\"");
                } finally {
                    frozen.thaw();
                }
            }
        }
    }

    @Test
    void aGracefullyStoppedNodeReleasesItsIdsAtOnce() throws Exception {
        try (NodeProcess leaving = startProcessNode("fail-leaving")) {
            try (TestClient mover = TestClient.connect(leaving.port(), "mover")) {
                awaitBound(mover, "mover");
                leaving.terminateAsync();
                assertThat(mover.awaitClose().code()).isEqualTo(1001);

                try (TestClient moved = TestClient.connect(one.port(), "mover")) {
                    awaitBound(moved, "mover");
                }
                assertThat(leaving.awaitExit(10)).isZero();
            }
        }
    }

    @Test
    void aRedisOutageKeepsLocalRelayErrorsCrossNodeSendsAndRecovers() throws Exception {
        try (TestClient a = TestClient.connect(one.port(), "out-a");
             TestClient b = TestClient.connect(one.port(), "out-b");
             TestClient c = TestClient.connect(two.port(), "out-c")) {
            awaitBound(a, "out-a");
            awaitBound(b, "out-b");
            awaitBound(c, "out-c");

            redis.kill();
            Await.until(() -> HttpProbe.get(one.port(), "/readyz").status() == 503, "one /readyz 503");
            assertThat(HttpProbe.get(one.port(), "/readyz").body()).isEqualTo("cluster directory unreachable\n");
            assertThat(HttpProbe.get(one.port(), "/healthz").status()).isEqualTo(200);

            a.send("{\"to\":\"out-b\",\"local\":true}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"out-b\",\"local\":true}");
            a.send("{\"to\":\"out-c\"}");
            assertThat(a.receive()).contains("\"to\":\"out-a\"", "\"error\":\"cluster-unavailable\"",
                    "\"peer\":\"out-c\"");
            try (TestClient newcomer = TestClient.connect(one.port(), "out-new")) {
                assertThat(newcomer.awaitClose()).isEqualTo(new TestClient.Close(1013, "id directory unavailable"));
            }

            redis.startAgain();
            Await.until(() -> HttpProbe.get(one.port(), "/readyz").status() == 200, "one /readyz 200");
            Await.until(() -> HttpProbe.get(two.port(), "/readyz").status() == 200, "two /readyz 200");
            Await.until(() -> !redis.command("GET", "rdv:id:out-a").equals("$-1"), "lease of out-a re-asserted");
            Await.until(() -> !redis.command("GET", "rdv:id:out-c").equals("$-1"), "lease of out-c re-asserted");

            try (TestClient intruder = TestClient.connect(two.port(), "out-a")) {
                assertThat(intruder.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
            }
            a.send("{\"to\":\"out-c\",\"back\":true}");
            assertThat(c.receive()).isEqualTo("{\"to\":\"out-c\",\"back\":true}");
            c.send("{\"to\":\"out-a\",\"back\":true}");
            assertThat(a.receive()).isEqualTo("{\"to\":\"out-a\",\"back\":true}");
            try (TestClient newcomer = TestClient.connect(two.port(), "out-new")) {
                awaitBound(newcomer, "out-new");
            }
        }
    }

    /** DEPLOYMENT.md: an orchestrator restarts a node that exits 1 because Redis is not there yet. */
    @Test
    void aNodeThatCannotReachRedisAtStartExitsOneWithTheReason() throws Exception {
        int nobodyListens;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = probe.getLocalPort();
        }
        NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(20),
                "--redis", "redis://127.0.0.1:" + nobodyListens, "--node-id", "fail-no-redis");

        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.output()).contains("cannot start", "Unable to connect to 127.0.0.1");
    }

    /** A Redis that accepts connections but never answers (hung, or not Redis at all) fails the start in seconds. */
    @Test
    void aNodeWhoseRedisNeverAnswersExitsOneWithinSeconds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(30),
                    "--redis", "redis://127.0.0.1:" + silent.getLocalPort(), "--node-id", "fail-silent-redis");

            assertThat(exit.code()).isEqualTo(1);
            assertThat(exit.output()).contains("cannot start");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aNodeNamedLikeARunningOneExitsOneAndLeavesItAlone() throws Exception {
        try (TestClient resident = TestClient.connect(one.port(), "resident")) {
            awaitBound(resident, "resident");

            NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(20),
                    "--redis", redis.uri().toString(), "--node-id", "fail-one");

            assertThat(exit.code()).isEqualTo(1);
            assertThat(exit.output()).contains("cannot start", "node id already in use");
            awaitBound(resident, "resident");
            assertThat(HttpProbe.get(one.port(), "/readyz").status()).isEqualTo(200);
        }
    }

    private static NodeProcess startProcessNode(String nodeId) throws Exception {
        return NodeProcess.start("--redis", redis.uri().toString(), "--node-id", nodeId,
                "--lease-ttl", LEASE_TTL.toSeconds() + "s");
    }
}
