package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.FakeSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Relay} must do, whether one node in memory or many through Redis. Each test
 * uses two relays sharing one ID space: for the in-memory relay they are the same object, for a
 * cluster they are two nodes, so every rule below is also checked across nodes.
 */
public abstract class AbstractRelayContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    protected Relay first;
    protected Relay second;

    /** The relay under test. */
    protected abstract Relay newRelay() throws Exception;

    /** Another node in the same ID space as {@code first}, or {@code first} itself for a single node. */
    protected abstract Relay peerOf(Relay first) throws Exception;

    @BeforeEach
    void startRelays() throws Exception {
        first = newRelay();
        second = peerOf(first);
    }

    @AfterEach
    void closeRelays() {
        if (second != first) {
            second.close();
        }
        first.close();
    }

    @Test
    void claimsAFreeId() throws Exception {
        assertThat(claim(first, new FakeSession("A"))).isEqualTo(ClaimResult.CLAIMED);
        assertThat(first.localSessionCount()).isEqualTo(1);
        assertThat(first.ready()).isTrue();
    }

    @Test
    void refusesAnIdHeldOnTheSameNode() throws Exception {
        FakeSession holder = new FakeSession("A");
        claim(first, holder);
        assertThat(claim(first, new FakeSession("A"))).isEqualTo(ClaimResult.TAKEN);
        assertThat(first.localSessionCount()).isEqualTo(1);
    }

    @Test
    void refusesAnIdHeldOnAnotherNodeAndTheHolderKeepsReceiving() throws Exception {
        FakeSession holder = new FakeSession("A");
        FakeSession sender = new FakeSession("S");
        claim(first, holder);
        claim(second, sender);

        assertThat(claim(second, new FakeSession("A"))).isEqualTo(ClaimResult.TAKEN);

        second.forward(sender, new PeerId("A"), payload("{\"to\":\"A\"}"));
        assertThat(holder.nextMessage()).isEqualTo("{\"to\":\"A\"}");
    }

    @Test
    void aReleasedIdCanBeClaimedAgainAnywhere() throws Exception {
        FakeSession holder = new FakeSession("A");
        claim(first, holder);
        first.release(holder);
        assertThat(first.localSessionCount()).isZero();
        assertThat(claimWithin(second, "A")).isEqualTo(ClaimResult.CLAIMED);
    }

    @Test
    void releaseByASessionThatDoesNotHoldTheIdChangesNothing() throws Exception {
        FakeSession holder = new FakeSession("A");
        FakeSession loser = new FakeSession("A");
        claim(first, holder);
        assertThat(claim(second, loser)).isEqualTo(ClaimResult.TAKEN);

        second.release(loser);
        first.release(loser);

        assertThat(claim(second, new FakeSession("A"))).isEqualTo(ClaimResult.TAKEN);
        FakeSession sender = new FakeSession("S");
        claim(second, sender);
        second.forward(sender, new PeerId("A"), payload("{\"to\":\"A\",\"n\":1}"));
        assertThat(holder.nextMessage()).isEqualTo("{\"to\":\"A\",\"n\":1}");
    }

    @Test
    void forwardsTheExactBytesAcrossNodes() throws Exception {
        FakeSession a = new FakeSession("A");
        FakeSession b = new FakeSession("B");
        claim(first, a);
        claim(second, b);
        String toB = "{\"to\":\"B\",\"from\":\"A\",\"type\":\"offer\","
                + "\"sdp\":{\"v\":\"é ☃ 😀 \\\"q\\\" \\\\\",\"n\":[1,2]}}";
        String toA = "{\"type\":\"answer\",  \"to\" : \"A\",\"sdp\":\"v=0\\r\\n\"}";

        first.forward(a, new PeerId("B"), payload(toB));
        second.forward(b, new PeerId("A"), payload(toA));

        assertThat(b.nextMessage()).isEqualTo(toB);
        assertThat(a.nextMessage()).isEqualTo(toA);
    }

    @Test
    void keepsTheOrderOfOneSendersMessages() throws Exception {
        FakeSession a = new FakeSession("A");
        FakeSession b = new FakeSession("B");
        claim(first, a);
        claim(second, b);
        // Two bursts of 1,000: the first waits (in order) behind a cluster relay's directory lookup,
        // which holds at most 1,024 messages per recipient before it answers cluster-unavailable;
        // the second goes out on the cached route.
        for (int burst = 0; burst < 2; burst++) {
            for (int i = burst * 1_000; i < (burst + 1) * 1_000; i++) {
                first.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"seq\":" + i + "}"));
            }
            for (int i = burst * 1_000; i < (burst + 1) * 1_000; i++) {
                assertThat(b.nextMessage()).isEqualTo("{\"to\":\"B\",\"seq\":" + i + "}");
            }
        }
        assertThat(a.hasNothingPending()).as("no error reached the sender").isTrue();
    }

    @Test
    void anIdNobodyHoldsGetsPeerUnavailable() throws Exception {
        FakeSession a = new FakeSession("A");
        claim(first, a);
        first.forward(a, new PeerId("nobody"), payload("{\"to\":\"nobody\"}"));
        SignalError error = a.nextError();
        assertThat(error.code()).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
        assertThat(error.peer()).isEqualTo("nobody");
    }

    @Test
    void aRecipientThatLeftGetsPeerUnavailable() throws Exception {
        FakeSession a = new FakeSession("A");
        FakeSession b = new FakeSession("B");
        claim(first, a);
        claim(second, b);
        first.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"n\":1}"));
        assertThat(b.nextMessage()).isEqualTo("{\"to\":\"B\",\"n\":1}");

        second.release(b);
        first.forward(a, new PeerId("B"), payload("{\"to\":\"B\",\"n\":2}"));

        SignalError error = a.nextError();
        assertThat(error.code()).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
        assertThat(error.peer()).isEqualTo("B");
        assertThat(b.hasNothingPending()).isTrue();
    }

    protected static ClaimResult claim(Relay relay, PeerSession session) throws Exception {
        return relay.claim(session).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Claims a fresh session for {@code id}, retrying while it is still TAKEN: across nodes an ID
     * is free once its release has reached the directory, one round trip after the socket closed.
     */
    protected static ClaimResult claimWithin(Relay relay, String id) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ClaimResult result = claim(relay, new FakeSession(id));
        while (result == ClaimResult.TAKEN && System.nanoTime() < deadline) {
            Thread.sleep(10);
            result = claim(relay, new FakeSession(id));
        }
        return result;
    }

    protected static Payload payload(String text) {
        return new ByteArrayPayload(text.getBytes(StandardCharsets.UTF_8));
    }
}
