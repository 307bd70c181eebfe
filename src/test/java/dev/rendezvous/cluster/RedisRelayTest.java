package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.signaling.ByteArrayPayload;
import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.SignalError;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.FakeSession;
import dev.rendezvous.support.RedisServer;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis side of the cluster relay: the leases as Redis sees them, and a Redis outage. */
class RedisRelayTest {

    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static RedisServer redis;

    private RedisRelay one;
    private RedisRelay two;

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

    @BeforeEach
    void startNodes() throws Exception {
        redis.command("FLUSHALL");
        one = node("one");
        two = node("two");
    }

    @AfterEach
    void stopNodes() {
        two.close();
        one.close();
    }

    @Test
    void aClaimIsALeaseNamingTheNodeWithTheTtl() throws Exception {
        claim(one, new FakeSession("A"));

        assertThat(redis.command("GET", "rdv:id:A")).startsWith("one/");
        long ttl = Long.parseLong(redis.command("PTTL", "rdv:id:A").substring(1));
        assertThat(ttl).isBetween(1L, LEASE_TTL.toMillis());
    }

    @Test
    void releaseNeverDeletesALeaseTheNodeNoLongerOwns() throws Exception {
        FakeSession holder = new FakeSession("A");
        claim(one, holder);
        redis.command("SET", "rdv:id:A", "elsewhere/token");

        one.release(holder);
        // A claim on the same node runs on the same connection, so Redis has seen the release.
        claim(one, new FakeSession("probe"));

        assertThat(redis.command("GET", "rdv:id:A")).isEqualTo("elsewhere/token");
    }

    @Test
    void renewalExtendsTheLeasesAndReassertsMissingOnes() throws Exception {
        claim(one, new FakeSession("A"));
        claim(one, new FakeSession("B"));
        String lease = redis.command("GET", "rdv:id:A");
        redis.command("PEXPIRE", "rdv:id:A", "500");
        redis.command("DEL", "rdv:id:B");

        one.renewLeasesNow().get(5, TimeUnit.SECONDS);

        assertThat(redis.command("GET", "rdv:id:A")).isEqualTo(lease);
        assertThat(Long.parseLong(redis.command("PTTL", "rdv:id:A").substring(1))).isGreaterThan(1000);
        assertThat(redis.command("GET", "rdv:id:B")).startsWith("one/");
    }

    @Test
    void aLeaseTakenByAnotherNodeClosesTheLocalSocketWith4409() throws Exception {
        FakeSession holder = new FakeSession("A");
        claim(one, holder);
        redis.command("SET", "rdv:id:A", "two/stolen");

        one.renewLeasesNow().get(5, TimeUnit.SECONDS);

        assertThat(holder.awaitClose()).isEqualTo(CloseReason.ID_TAKEN);
        assertThat(one.leaseCount()).isZero();
        assertThat(redis.command("GET", "rdv:id:A")).isEqualTo("two/stolen");
    }

    @Test
    void closeReleasesEveryLeaseOfTheNodeAtOnce() throws Exception {
        for (int i = 0; i < 1_200; i++) {
            claim(one, new FakeSession("peer-" + i));
        }
        claim(two, new FakeSession("other"));
        assertThat(redis.command("DBSIZE")).isEqualTo(":1201");

        one.close();

        assertThat(redis.command("DBSIZE")).isEqualTo(":1");
        assertThat(redis.command("GET", "rdv:id:other")).startsWith("two/");
        assertThat(claim(one, new FakeSession("late"))).isEqualTo(ClaimResult.UNAVAILABLE);
    }

    @Test
    void aRedisOutageKeepsLocalTrafficRefusesClaimsAndRecovers() throws Exception {
        FakeSession a = new FakeSession("A");
        FakeSession b = new FakeSession("B");
        FakeSession remote = new FakeSession("R");
        claim(one, a);
        claim(one, b);
        claim(two, remote);

        redis.kill();
        Await.until(() -> !one.ready() && !two.ready(), "nodes notice the outage");

        one.forward(a, new PeerId("B"), payload("{\"to\":\"B\"}"));
        assertThat(b.nextMessage()).isEqualTo("{\"to\":\"B\"}");
        one.forward(a, new PeerId("R"), payload("{\"to\":\"R\"}"));
        SignalError error = a.nextError();
        assertThat(error.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE);
        assertThat(error.peer()).isEqualTo("R");
        FakeSession newcomer = new FakeSession("N");
        assertThat(claim(one, newcomer)).isEqualTo(ClaimResult.UNAVAILABLE);
        assertThat(one.localSessionCount()).isEqualTo(2);

        redis.startAgain();
        Await.until(() -> one.ready() && two.ready(), "nodes reconnect");
        Await.until(() -> redisHas("rdv:id:A") && redisHas("rdv:id:B") && redisHas("rdv:id:R"),
                "leases re-asserted");

        assertThat(claim(two, new FakeSession("A"))).isEqualTo(ClaimResult.TAKEN);
        assertThat(claim(one, new FakeSession("N"))).isEqualTo(ClaimResult.CLAIMED);
        one.forward(a, new PeerId("R"), payload("{\"to\":\"R\",\"back\":true}"));
        assertThat(remote.nextMessage()).isEqualTo("{\"to\":\"R\",\"back\":true}");
    }

    /**
     * Redis restarted empty between two renewal rounds: no round failed, yet the leases are gone.
     * They must come back as soon as the node reconnects, long before its next round (a third of a
     * 30 s TTL here), or another node could take the IDs meanwhile.
     */
    @Test
    void leasesComeBackAsSoonAsRedisReturnsEmptyNotAtTheNextRound() throws Exception {
        RedisRelay patient = RedisRelay.connect(new ClusterSettings(redis.uri(), new NodeId("patient"),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 1000), new LocalRelay());
        try {
            claim(patient, new FakeSession("kept"));
            redis.kill();
            redis.startAgain();
            long restarted = System.nanoTime();

            Await.until(() -> redisHas("rdv:id:kept"), "lease re-asserted");
            Duration took = Duration.ofNanos(System.nanoTime() - restarted);
            assertThat(took).as("well before the next round, 10 s after the start").isLessThan(Duration.ofSeconds(5));
            // Node one reconnects on its own schedule; until then it refuses every claim (1013).
            Await.until(one::ready, "node one reconnects");
            assertThat(claim(one, new FakeSession("kept"))).isEqualTo(ClaimResult.TAKEN);
        } finally {
            patient.close();
        }
    }

    /**
     * A socket closes just after a renewal round took its snapshot, and its release reaches Redis
     * before the round: the round finds the key missing and writes it again. The node must delete
     * it once more, or the ID stays taken for a whole TTL with nobody holding it.
     */
    @Test
    void aRenewalRoundThatRacesAReleaseDoesNotBringTheLeaseBack() throws Exception {
        ClusterSettings settings = keeperSettings("racer");
        try (RedisLink link = RedisLink.open(settings)) {
            IdDirectory directory = new IdDirectory(link.commands(), settings.leaseTtl());
            Lease lease = acquired(directory, settings.node(), "raced");
            Map<PeerId, Lease> leases = new ConcurrentHashMap<>() {
                @Override
                public Collection<Lease> values() {
                    Collection<Lease> snapshot = new ArrayList<>(super.values());
                    if (remove(lease.session().id(), lease)) {
                        directory.release(lease.key(), lease.token()).toCompletableFuture().join();
                    }
                    return snapshot;
                }
            };
            leases.put(lease.session().id(), lease);
            LeaseKeeper keeper = new LeaseKeeper(leases, directory, Duration.ofSeconds(10), settings.node());
            try {
                keeper.renewNow().get(5, TimeUnit.SECONDS);
                Await.until(() -> !redisHas("rdv:id:raced"), "the released lease stays released");
            } finally {
                keeper.close();
            }
        }
    }

    /**
     * close() releases every lease right after stopping the keeper. A round that was already past
     * its last "closed?" check would send its renewal after that release and write the leases
     * back for a whole TTL: stopping the keeper must wait until the round is sent.
     */
    @Test
    void stoppingTheKeeperWaitsForARoundBeingSent() throws Exception {
        ClusterSettings settings = keeperSettings("closer");
        try (RedisLink link = RedisLink.open(settings)) {
            CountDownLatch sending = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            IdDirectory directory = new IdDirectory(holdingRenewals(link.commands(), sending, letGo), settings.leaseTtl());
            Lease lease = acquired(directory, settings.node(), "closing");
            LeaseKeeper keeper = new LeaseKeeper(new ConcurrentHashMap<>(Map.of(lease.session().id(), lease)),
                    directory, Duration.ofSeconds(10), settings.node(), () -> { }, Duration.ofMinutes(1));
            keeper.renewNow();
            assertThat(sending.await(5, TimeUnit.SECONDS)).as("a round is being sent").isTrue();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(keeper::close);
            Await.until(keeper::closing, "close() has begun");
            assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS))
                    .as("close() returned while a round was being sent").isInstanceOf(TimeoutException.class);
            letGo.countDown();
            stopped.get(5, TimeUnit.SECONDS);

            directory.releaseAll(List.of(lease)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(redisHas("rdv:id:closing")).as("renewed after the release").isFalse();
        }
    }

    /** For tests that drive a {@link LeaseKeeper} by hand: a TTL long enough that no round runs by itself. */
    private static ClusterSettings keeperSettings(String node) {
        return new ClusterSettings(redis.uri(), new NodeId(node), Duration.ofSeconds(30), Duration.ofSeconds(2), 1000);
    }

    /** A lease on {@code id}, taken in Redis for {@code node}. */
    private static Lease acquired(IdDirectory directory, NodeId node, String id) {
        Lease lease = new Lease(new FakeSession(id), ClusterKeys.idKey(new PeerId(id)),
                (node.value() + "/token-1").getBytes(StandardCharsets.UTF_8));
        assertThat(directory.acquire(lease.key(), lease.token()).toCompletableFuture().join()).isTrue();
        return lease;
    }

    /** The commands, except that a renewal script waits for {@code letGo} on the sending thread. */
    @SuppressWarnings("unchecked")
    private static RedisAsyncCommands<byte[], byte[]> holdingRenewals(RedisAsyncCommands<byte[], byte[]> commands,
            CountDownLatch sending, CountDownLatch letGo) {
        return (RedisAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(RedisRelayTest.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class}, (proxy, method, args) -> {
                    if (method.getName().equals("eval") && String.valueOf(args[0]).contains("PEXPIRE")) {
                        sending.countDown();
                        letGo.await();
                    }
                    try {
                        return method.invoke(commands, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * A claim whose SET is still on its way when the node leaves: close() must wait for it and
     * release its lease with the others, or the ID stays taken for a TTL after the node is gone.
     */
    @Test
    void closeReleasesTheLeaseOfAClaimStillInFlight() throws Exception {
        claim(one, new FakeSession("held"));
        // Redis holds every client's commands for a moment: the claim's SET waits in the queue.
        assertThat(redis.command("CLIENT", "PAUSE", "500")).isEqualTo("+OK");
        CompletableFuture<ClaimResult> late = one.claim(new FakeSession("late")).toCompletableFuture();

        one.close();

        assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo(ClaimResult.CLAIMED);
        assertThat(redis.command("GET", "rdv:id:late")).as("released by close").isEqualTo("$-1");
        assertThat(redis.command("GET", "rdv:id:held")).isEqualTo("$-1");
    }

    /**
     * Lettuce reports a reconnected pub/sub connection open before its channel is subscribed
     * again; if that SUBSCRIBE never succeeds the node cannot be reached, however open its
     * connections look. Here Redis takes the channel permission away: it drops the subscribers
     * and refuses their SUBSCRIBE when they come back.
     */
    @Test
    void aNodeWhoseChannelIsNotSubscribedAgainIsNotReadyAndSubscribesOnceAllowed() throws Exception {
        assertThat(one.ready()).isTrue();
        assertThat(redis.command("ACL", "SETUSER", "default", "resetchannels")).isEqualTo("+OK");
        try {
            Await.until(() -> pubsubClients() == 0 && clientsNamed("rendezvous-one") == 2,
                    "node one's pub/sub connection dropped and back, unsubscribed");
            assertThat(one.ready()).isFalse();
        } finally {
            redis.command("ACL", "SETUSER", "default", "allchannels");
        }
        // Lettuce re-subscribes only once, after the reconnect; the node keeps trying by itself.
        Await.until(one::ready, "node one subscribed again");
    }

    /** A hung Redis keeps the connections open; readiness must still turn 503, and back when it answers. */
    @Test
    void aRedisThatStopsAnsweringMakesTheNodeUnreadyAndBack() throws Exception {
        assertThat(one.ready()).isTrue();
        redis.pause();
        try {
            Await.until(() -> !one.ready(), "node unready while redis is frozen");
        } finally {
            redis.resume();
        }
        Await.until(() -> one.ready(), "node ready again");
    }

    /**
     * Nodes with a long TTL: routes expire after one TTL, and this is about the route still cached
     * when the peer moves, however slowly the third node starts.
     */
    @Test
    void aPeerThatMovedToAnotherNodeIsFoundAgainAfterOneMiss() throws Exception {
        FakeSession a = new FakeSession("A");
        FakeSession before = new FakeSession("B");
        try (RedisRelay sending = node("sending", Duration.ofMinutes(5));
             RedisRelay left = node("left", Duration.ofMinutes(5))) {
            claim(sending, a);
            claim(left, before);
            sending.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"n\":1}"));
            assertThat(before.nextMessage()).isEqualTo("{\"to\":\"B\",\"n\":1}");

            left.release(before);
            FakeSession after = new FakeSession("B");
            try (RedisRelay joined = node("joined", Duration.ofMinutes(5))) {
                assertThat(claimRetrying(joined, after)).isEqualTo(ClaimResult.CLAIMED);

                // The cached route still names the node it left, which answers with a miss.
                sending.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"n\":2}"));
                SignalError error = a.nextError();
                assertThat(error.code()).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
                assertThat(error.peer()).isEqualTo("B");

                sending.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"n\":3}"));
                assertThat(after.nextMessage()).isEqualTo("{\"to\":\"B\",\"n\":3}");
            }
        }
    }

    @Test
    void aSecondNodeWithTheSameIdRefusesToStart() {
        assertThatThrownBy(() -> node("one"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node id already in use");
    }

    /** Connections that named themselves {@code name} (CLIENT SETNAME). */
    private static int clientsNamed(String name) throws IOException {
        return (int) redis.command("CLIENT", "LIST").lines().filter(line -> line.contains(" name=" + name + " ")).count();
    }

    /** Connections subscribed to a channel. */
    private static int pubsubClients() throws IOException {
        return (int) redis.command("CLIENT", "LIST", "TYPE", "pubsub").lines().filter(line -> !line.isBlank()).count();
    }

    private static boolean redisHas(String key) {
        try {
            return !redis.command("GET", key).equals("$-1");
        } catch (Exception e) {
            return false;
        }
    }

    /** Claims until the release on another node (one Redis round trip) has landed. */
    private static ClaimResult claimRetrying(Relay relay, FakeSession session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ClaimResult result = claim(relay, session);
        while (result == ClaimResult.TAKEN && System.nanoTime() < deadline) {
            Thread.sleep(10);
            result = claim(relay, session);
        }
        return result;
    }

    private static ClaimResult claim(Relay relay, PeerSession session) throws Exception {
        return relay.claim(session).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static ByteArrayPayload payload(String text) {
        return new ByteArrayPayload(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RedisRelay node(String name) {
        return node(name, LEASE_TTL);
    }

    private static RedisRelay node(String name, Duration leaseTtl) {
        return RedisRelay.connect(new ClusterSettings(redis.uri(), new NodeId(name), leaseTtl,
                Duration.ofSeconds(2), 1000), new LocalRelay());
    }
}
