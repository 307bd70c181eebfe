package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final LocalRelay relay = new LocalRelay();
    private final FakePeerSession alice = new FakePeerSession("alice");
    private final FakePeerSession bob = new FakePeerSession("bob");
    private final FakePeerSession carol = new FakePeerSession("carol");

    RouterTest() {
        relay.claimNow(alice);
        relay.claimNow(bob);
        relay.claimNow(carol);
    }

    private static Payload payload(String json) {
        return new ByteArrayPayload(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void forwardsAMessageWhoseFromIsTheSender() {
        String message = "{\"to\":\"bob\",\"from\":\"alice\",\"type\":\"offer\"}";

        new Router(relay, FromCheck.REJECT).route(alice, EnvelopeHeader.from("alice", "bob"), payload(message));

        assertThat(bob.deliveries()).containsExactly(message);
        assertThat(carol.deliveries()).isEmpty();
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void forwardsAMessageWithoutFrom() {
        new Router(relay, FromCheck.REJECT).route(alice, EnvelopeHeader.withoutFrom("bob"), payload("{\"to\":\"bob\"}"));

        assertThat(bob.deliveries()).containsExactly("{\"to\":\"bob\"}");
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void rejectsASpoofedFromWithFromMismatchAndDeliversNothing() {
        new Router(relay, FromCheck.REJECT)
                .route(alice, EnvelopeHeader.from("carol", "bob"), payload("{\"to\":\"bob\",\"from\":\"carol\"}"));

        assertThat(bob.deliveries()).isEmpty();
        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.FROM_MISMATCH);
    }

    @Test
    void rejectsANonStringFromUnderReject() {
        new Router(relay, FromCheck.REJECT)
                .route(alice, new EnvelopeHeader("bob", true, null), payload("{\"to\":\"bob\",\"from\":7}"));

        assertThat(bob.deliveries()).isEmpty();
        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.FROM_MISMATCH);
    }

    @Test
    void forwardsASpoofedFromWhenTheCheckIsOff() {
        String message = "{\"to\":\"bob\",\"from\":\"carol\"}";

        new Router(relay, FromCheck.OFF).route(alice, EnvelopeHeader.from("carol", "bob"), payload(message));

        assertThat(bob.deliveries()).containsExactly(message);
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void checksFromBeforeLookingAtTo() {
        new Router(relay, FromCheck.REJECT).route(alice, EnvelopeHeader.from("carol", ""), payload("{}"));

        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.FROM_MISMATCH);
    }

    @Test
    void answersAnInvalidToWithPeerUnavailableNamingThatPeer() {
        String tooLong = "b".repeat(257);
        Router router = new Router(relay, FromCheck.REJECT);

        router.route(alice, EnvelopeHeader.withoutFrom(""), payload("{\"to\":\"\"}"));
        router.route(alice, EnvelopeHeader.withoutFrom("b\nb"), payload("{\"to\":\"b\\nb\"}"));
        router.route(alice, EnvelopeHeader.withoutFrom(tooLong), payload("{}"));

        assertThat(alice.errors()).extracting(SignalError::code).containsOnly(ErrorCode.PEER_UNAVAILABLE);
        assertThat(alice.errors()).extracting(SignalError::peer)
                .containsExactly("", "b\nb", "b".repeat(PeerId.MAX_UTF8_BYTES) + "\u2026");
        assertThat(bob.deliveries()).isEmpty();
    }

    @Test
    void answersAnUnknownRecipientWithPeerUnavailableNamingThatPeer() {
        new Router(relay, FromCheck.REJECT).route(alice, EnvelopeHeader.withoutFrom("dave"), payload("{\"to\":\"dave\"}"));

        assertThat(alice.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.PEER_UNAVAILABLE);
            assertThat(error.peer()).isEqualTo("dave");
            assertThat(error.detail()).isNotBlank();
        });
    }

    @Test
    void aSenderMayAddressItself() {
        new Router(relay, FromCheck.REJECT).route(alice, EnvelopeHeader.from("alice", "alice"), payload("{\"to\":\"alice\"}"));

        assertThat(alice.deliveries()).containsExactly("{\"to\":\"alice\"}");
    }

    @Test
    void neverClosesTheSenderOverABadMessage() {
        Router router = new Router(relay, FromCheck.REJECT);
        router.route(alice, EnvelopeHeader.from("carol", "bob"), payload("{}"));
        router.route(alice, EnvelopeHeader.withoutFrom("dave"), payload("{}"));
        router.route(alice, EnvelopeHeader.withoutFrom("bob"), payload("{\"to\":\"bob\"}"));

        assertThat(alice.closes()).isEmpty();
        assertThat(bob.deliveries()).containsExactly("{\"to\":\"bob\"}");
    }
}
