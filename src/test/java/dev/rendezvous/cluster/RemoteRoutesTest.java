package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.support.FakeSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The route cache on its own, with a directory and a bus that answer when the test says so —
 * including the bus answering "node gone" on the spot, from inside the publish.
 */
class RemoteRoutesTest {

    private static final NodeId SELF = new NodeId("self");
    private static final NodeId DEAD = new NodeId("dead");
    private static final NodeId ALIVE = new NodeId("alive");
    private static final PeerId VICTIM = new PeerId("victim");
    private static final Duration MAX_AGE = Duration.ofSeconds(3);

    private final FakeSession sender = new FakeSession("sender");
    private final Directory directory = new Directory();
    private final Bus bus = new Bus();
    private long now = 1_000;
    private final RemoteRoutes routes = new RemoteRoutes(directory, SELF, 100, MAX_AGE, () -> now, bus);

    @Test
    void aKnownRouteIsUsedWithoutAskingTheDirectoryAgain() {
        directory.owner(VICTIM, ALIVE);

        routes.send(message("1"));
        routes.send(message("2"));

        assertThat(directory.lookups).isEqualTo(1);
        assertThat(bus.published).containsExactly("alive:1", "alive:2");
    }

    @Test
    void aNodeGoneAnswerLaterMakesTheNextMessageLookTheRouteUpAgain() {
        directory.owner(VICTIM, DEAD);
        routes.send(message("1"));
        routes.invalidate(VICTIM, DEAD);

        directory.owner(VICTIM, ALIVE);
        routes.send(message("2"));

        assertThat(directory.lookups).isEqualTo(2);
        assertThat(bus.published).containsExactly("dead:1", "alive:2");
    }

    /**
     * The CI failure of ClusterFailureIT: the lookup completed before its callback was attached, so
     * the route was installed on the sender's thread, and the PUBLISH to the dead node answered
     * "no receivers" before its own callback was attached, so "node gone" came back inside the
     * compute that was installing the route. The dead route must not survive that.
     */
    @Test
    void aNodeGoneAnswerFromInsideThePublishIsNotLost() {
        bus.goneOnTheSpot.add(DEAD);
        directory.owner(VICTIM, DEAD);
        routes.send(message("1"));

        directory.owner(VICTIM, ALIVE);
        routes.send(message("2"));

        assertThat(directory.lookups).isEqualTo(2);
        assertThat(bus.published).containsExactly("dead:1", "alive:2");
    }

    @Test
    void aNodeGoneAnswerFromInsideAPublishOnAKnownRouteIsNotLost() {
        directory.owner(VICTIM, DEAD);
        routes.send(message("1"));
        bus.goneOnTheSpot.add(DEAD);
        routes.send(message("2"));

        directory.owner(VICTIM, ALIVE);
        routes.send(message("3"));

        assertThat(directory.lookups).isEqualTo(2);
        assertThat(bus.published).containsExactly("dead:1", "dead:2", "alive:3");
    }

    /**
     * A node that froze never answers "gone": Redis still counts its subscription. Only the age
     * limit makes the sender ask the directory again, where the frozen node's lease has lapsed.
     */
    @Test
    void aRouteOlderThanTheMaxAgeIsLookedUpAgain() {
        directory.owner(VICTIM, DEAD);
        routes.send(message("1"));
        now += MAX_AGE.toNanos() - 1;
        routes.send(message("2"));
        assertThat(directory.lookups).as("still young").isEqualTo(1);

        directory.forget(VICTIM);
        now += 1;
        routes.send(message("3"));

        assertThat(directory.lookups).isEqualTo(2);
        assertThat(bus.published).containsExactly("dead:1", "dead:2");
        assertThat(bus.unknown).containsExactly("3");
    }

    @Test
    void aRouteLookedUpAgainIsTrustedForAnotherMaxAge() {
        directory.owner(VICTIM, ALIVE);
        routes.send(message("1"));
        now += MAX_AGE.toNanos();
        routes.send(message("2"));
        now += MAX_AGE.toNanos() - 1;
        routes.send(message("3"));

        assertThat(directory.lookups).isEqualTo(2);
        assertThat(bus.published).containsExactly("alive:1", "alive:2", "alive:3");
    }

    /** The answer describes Redis when the lookup was sent; a slow reply must not extend its life. */
    @Test
    void aRouteAgesFromWhenItsLookupWasSentNotAnswered() {
        CompletableFuture<byte[]> answer = directory.later(VICTIM);
        routes.send(message("1"));
        now += MAX_AGE.toNanos() / 2;
        answer.complete(lease(ALIVE));
        now += MAX_AGE.toNanos() / 2;
        routes.send(message("2"));

        assertThat(directory.lookups).isEqualTo(2);
    }

    @Test
    void aStaleAnswerAboutAnotherNodeLeavesTheRouteAlone() {
        directory.owner(VICTIM, ALIVE);
        routes.send(message("1"));
        routes.invalidate(VICTIM, DEAD);
        routes.send(message("2"));

        assertThat(directory.lookups).isEqualTo(1);
        assertThat(bus.published).containsExactly("alive:1", "alive:2");
    }

    @Test
    void messagesWaitingForALookupLeaveInArrivalOrderWhenItAnswers() {
        CompletableFuture<byte[]> answer = directory.later(VICTIM);
        routes.send(message("1"));
        routes.send(message("2"));
        routes.send(message("3"));
        assertThat(bus.published).isEmpty();

        answer.complete(lease(ALIVE));
        routes.send(message("4"));

        assertThat(directory.lookups).isEqualTo(1);
        assertThat(bus.published).containsExactly("alive:1", "alive:2", "alive:3", "alive:4");
    }

    @Test
    void nobodyInTheDirectoryOrOnlyThisNodeIsAnUnknownPeer() {
        routes.send(message("1"));
        directory.owner(VICTIM, SELF);
        routes.send(message("2"));

        assertThat(bus.unknown).containsExactly("1", "2");
        assertThat(bus.published).isEmpty();
        assertThat(routes.size()).isZero();
    }

    @Test
    void aFailedLookupAnswersEveryWaitingMessageAndIsNotCached() {
        CompletableFuture<byte[]> answer = directory.later(VICTIM);
        routes.send(message("1"));
        routes.send(message("2"));

        answer.completeExceptionally(new IllegalStateException("redis down"));

        assertThat(bus.unreachable).containsExactly("1: id directory unreachable", "2: id directory unreachable");
        assertThat(routes.size()).isZero();
    }

    @Test
    void tooManyMessagesWaitingForOneLookupAreRefused() {
        directory.later(VICTIM);
        for (int i = 0; i < RemoteRoutes.MAX_WAITING; i++) {
            routes.send(message(Integer.toString(i)));
        }
        routes.send(message("one too many"));

        assertThat(bus.unreachable).containsExactly("one too many: id directory too slow");
    }

    @Test
    void aFullCacheDropsKnownRoutesButNeverALookupInFlight() {
        RemoteRoutes small = new RemoteRoutes(directory, SELF, 2, MAX_AGE, () -> now, bus);
        PeerId pending = new PeerId("pending");
        CompletableFuture<byte[]> answer = directory.later(pending);
        small.send(new RemoteRoutes.Outbound(sender, pending, "waits".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 5; i++) {
            PeerId id = new PeerId("known-" + i);
            directory.owner(id, ALIVE);
            small.send(new RemoteRoutes.Outbound(sender, id, ("to " + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(small.size()).as("bounded near its capacity").isLessThanOrEqualTo(3);

        answer.complete(lease(ALIVE));

        assertThat(bus.published).contains("alive:waits");
    }

    private RemoteRoutes.Outbound message(String text) {
        return new RemoteRoutes.Outbound(sender, VICTIM, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] lease(NodeId node) {
        return (node.value() + "/token").getBytes(StandardCharsets.UTF_8);
    }

    private static String text(RemoteRoutes.Outbound message) {
        return new String(message.frame(), StandardCharsets.UTF_8);
    }

    /** Answers lookups at once from a map, or leaves one pending until the test completes it. */
    private static final class Directory implements RemoteRoutes.Lookups {
        private final Map<String, CompletableFuture<byte[]>> answers = new HashMap<>();
        int lookups;

        void owner(PeerId id, NodeId node) {
            answers.put(key(id), CompletableFuture.completedFuture(lease(node)));
        }

        void forget(PeerId id) {
            answers.remove(key(id));
        }

        CompletableFuture<byte[]> later(PeerId id) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            answers.put(key(id), answer);
            return answer;
        }

        @Override
        public CompletionStage<byte[]> lookup(byte[] key) {
            lookups++;
            return answers.getOrDefault(new String(key, StandardCharsets.UTF_8),
                    CompletableFuture.completedFuture(null));
        }

        private static String key(PeerId id) {
            return new String(ClusterKeys.idKey(id), StandardCharsets.UTF_8);
        }
    }

    /**
     * Records what the routes decide; for the nodes in {@code goneOnTheSpot} it answers like a
     * PUBLISH with no receivers that completed at once.
     */
    private final class Bus implements RemoteRoutes.Dispatch {
        final Set<NodeId> goneOnTheSpot = new HashSet<>();
        final List<String> published = new ArrayList<>();
        final List<String> unknown = new ArrayList<>();
        final List<String> unreachable = new ArrayList<>();

        @Override
        public void publish(NodeId node, RemoteRoutes.Outbound message) {
            published.add(node.value() + ":" + text(message));
            if (goneOnTheSpot.contains(node)) {
                routes.invalidate(message.recipient(), node);
            }
        }

        @Override
        public void unknown(RemoteRoutes.Outbound message) {
            unknown.add(text(message));
        }

        @Override
        public void unreachable(RemoteRoutes.Outbound message, String why) {
            unreachable.add(text(message) + ": " + why);
        }
    }
}
