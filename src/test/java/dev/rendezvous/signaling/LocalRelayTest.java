package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalRelayTest {

    private final LocalRelay relay = new LocalRelay();
    private final FakePeerSession alice = new FakePeerSession("alice");
    private final FakePeerSession bob = new FakePeerSession("bob");
    private final FakePeerSession carol = new FakePeerSession("carol");

    private static Payload payload(String json) {
        return new ByteArrayPayload(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void claimCompletesAtOnceWithClaimedThenTaken() {
        assertThat(relay.claim(alice).toCompletableFuture()).isCompletedWithValue(ClaimResult.CLAIMED);
        assertThat(relay.claim(new FakePeerSession("alice")).toCompletableFuture())
                .isCompletedWithValue(ClaimResult.TAKEN);
        assertThat(relay.localSessionCount()).isOne();
    }

    @Test
    void forwardsTheExactBytesToTheRecipientOnly() {
        relay.claimNow(alice);
        relay.claimNow(bob);
        relay.claimNow(carol);
        String message = "{\"to\":\"bob\",\"sdp\":{\"nested\":\"\\\"quoted\\\" \u00e9\"}}";

        relay.forward(alice, bob.id(), payload(message));

        assertThat(bob.deliveries()).containsExactly(message);
        assertThat(carol.deliveries()).isEmpty();
        assertThat(alice.deliveries()).isEmpty();
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void keepsTheOrderOfMessagesFromOneSender() {
        relay.claimNow(alice);
        relay.claimNow(bob);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add("{\"to\":\"bob\",\"n\":" + i + "}");
            relay.forward(alice, bob.id(), payload(sent.get(i)));
        }

        assertThat(bob.deliveries()).containsExactlyElementsOf(sent);
    }

    @Test
    void tellsTheSenderPeerUnavailableWhenNobodyHoldsTheRecipient() {
        relay.claimNow(alice);

        relay.forward(alice, new PeerId("ghost"), payload("{\"to\":\"ghost\"}"));

        assertThat(alice.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
            assertThat(error.peer()).isEqualTo("ghost");
            assertThat(error.detail()).isEqualTo("nobody is connected as that id");
        });
    }

    @Test
    void tellsTheSenderPeerUnavailableWhenTheRecipientIsClosing() {
        relay.claimNow(alice);
        relay.claimNow(bob.answering(DeliveryResult.CLOSED));

        relay.forward(alice, bob.id(), payload("{\"to\":\"bob\"}"));

        assertThat(alice.errors()).extracting(SignalError::code, SignalError::peer, SignalError::detail)
                .containsExactly(tuple(ErrorCode.PEER_UNAVAILABLE, "bob", "peer is disconnecting"));
    }

    @Test
    void tellsTheSenderPeerUnavailableWhenTheRecipientIsOverloaded() {
        relay.claimNow(alice);
        relay.claimNow(bob.answering(DeliveryResult.OVERLOADED));

        relay.forward(alice, bob.id(), payload("{\"to\":\"bob\"}"));

        assertThat(alice.errors()).extracting(SignalError::code, SignalError::detail).containsExactly(
                tuple(ErrorCode.PEER_UNAVAILABLE, "peer was too slow to read and has been disconnected"));
    }

    @Test
    void releaseFreesTheIdOnlyForItsHolder() {
        relay.claimNow(alice);
        FakePeerSession impostor = new FakePeerSession("alice");

        relay.release(impostor);
        assertThat(relay.holds(alice.id())).isTrue();
        assertThat(relay.find(alice.id())).isSameAs(alice);

        relay.release(alice);
        assertThat(relay.holds(alice.id())).isFalse();
        assertThat(relay.localSessionCount()).isZero();
        assertThat(relay.claimNow(impostor).result()).isEqualTo(ClaimResult.CLAIMED);
    }

    @Test
    void forwardingToAReleasedIdReportsPeerUnavailable() {
        relay.claimNow(alice);
        relay.claimNow(bob);
        relay.release(bob);

        relay.forward(alice, bob.id(), payload("{\"to\":\"bob\"}"));

        assertThat(bob.deliveries()).isEmpty();
        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.PEER_UNAVAILABLE);
    }
}
