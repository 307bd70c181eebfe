package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The mailbox's rules on a clock the test moves and sweeps it runs by hand: what is held, for how
 * long, in which order it is delivered, every bound, and what a departing sender leaves behind.
 */
class MailboxTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PeerRegistry registry = new PeerRegistry();
    private final FakePeerSession alice = new FakePeerSession("alice");

    private Mailbox mailbox(int maxMessages, long maxBytes, long totalBytes) {
        return new Mailbox(new MailboxLimits(TTL, maxMessages, maxBytes, totalBytes), registry::find, now::get, null);
    }

    private Mailbox mailbox() {
        return mailbox(32, 256 * 1024, 64L * 1024 * 1024);
    }

    private static Payload text(String json) {
        return new ByteArrayPayload(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PeerId id(String value) {
        return new PeerId(value);
    }

    @Test
    void holdsForAnAbsentIdAndDeliversInAcceptanceOrderWhenItOpens() {
        Mailbox mailbox = mailbox();
        FakePeerSession carol = new FakePeerSession("carol");
        assertThat(mailbox.offer(alice, id("bob"), text("{\"n\":1}"), true)).isEqualTo(Forwarded.HELD);
        assertThat(mailbox.offer(carol, id("bob"), text("{\"n\":2}"), true)).isEqualTo(Forwarded.HELD);
        assertThat(mailbox.offer(alice, id("bob"), text("{\"n\":3}"), true)).isEqualTo(Forwarded.HELD);
        assertThat(alice.helds()).containsExactly(id("bob"), id("bob"));
        assertThat(mailbox.messagesHeld()).isEqualTo(3);

        FakePeerSession bob = new FakePeerSession("bob");
        registry.bind(bob);
        mailbox.opened(bob);

        assertThat(bob.deliveries()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(mailbox.messagesHeld()).isZero();
        assertThat(mailbox.bytesHeld()).isZero();
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void aSocketStillConnectingGetsItsMessagesHeldAndThenFirst() {
        Mailbox mailbox = mailbox();
        FakePeerSession bob = new FakePeerSession("bob").answering(DeliveryResult.CONNECTING);
        registry.bind(bob);
        assertThat(mailbox.offer(alice, id("bob"), text("held"), true)).isEqualTo(Forwarded.HELD);
        bob.answering(DeliveryResult.QUEUED);
        mailbox.opened(bob);
        assertThat(mailbox.offer(alice, id("bob"), text("live"), true)).isEqualTo(Forwarded.LOCAL);
        assertThat(bob.deliveries()).containsExactly("held", "live");
    }

    @Test
    void aClusterNodeHoldsOnlyForASocketConnectingHere() {
        Mailbox mailbox = mailbox();
        assertThat(mailbox.offer(alice, id("bob"), text("x"), false)).isNull();
        assertThat(mailbox.messagesHeld()).isZero();
        registry.bind(new FakePeerSession("bob").answering(DeliveryResult.CONNECTING));
        assertThat(mailbox.offer(alice, id("bob"), text("x"), false)).isEqualTo(Forwarded.HELD);
    }

    @Test
    void anExpiredMessageTellsItsSenderOncePerMessageAndIsNotDelivered() {
        Mailbox mailbox = mailbox();
        mailbox.offer(alice, id("bob"), text("old"), true);
        now.addAndGet(TTL.toNanos() / 2);
        mailbox.offer(alice, id("bob"), text("young"), true);
        now.addAndGet(TTL.toNanos() / 2);
        mailbox.sweep();

        assertThat(alice.errors()).containsExactly(SignalError.expired("bob"));
        assertThat(alice.errors().get(0).peer()).isEqualTo("bob");
        assertThat(mailbox.messagesHeld()).isEqualTo(1);
        FakePeerSession bob = new FakePeerSession("bob");
        registry.bind(bob);
        mailbox.opened(bob);
        assertThat(bob.deliveries()).containsExactly("young");
    }

    @Test
    void aMessagePastItsTtlWhenTheRecipientOpensIsExpiredNotDelivered() {
        Mailbox mailbox = mailbox();
        mailbox.offer(alice, id("bob"), text("old"), true);
        now.addAndGet(TTL.toNanos());
        FakePeerSession bob = new FakePeerSession("bob");
        registry.bind(bob);
        mailbox.opened(bob);
        assertThat(bob.deliveries()).isEmpty();
        assertThat(alice.errors()).containsExactly(SignalError.expired("bob"));
    }

    @Test
    void refusesBeyondTheMessagesPerRecipient() {
        Mailbox mailbox = mailbox(2, 256 * 1024, 64L * 1024 * 1024);
        mailbox.offer(alice, id("bob"), text("1"), true);
        mailbox.offer(alice, id("bob"), text("2"), true);
        assertThat(mailbox.offer(alice, id("bob"), text("3"), true)).isEqualTo(Forwarded.REFUSED);
        assertThat(alice.errors()).extracting(SignalError::code, SignalError::peer)
                .containsExactly(tuple(ErrorCode.MAILBOX_FULL, "bob"));
        assertThat(mailbox.offer(alice, id("dave"), text("1"), true)).isEqualTo(Forwarded.HELD);
    }

    @Test
    void refusesBeyondTheBytesPerRecipientCountingEachMessagesBookkeeping() {
        int body = 1000;
        long maxBytes = 2L * (body + HeldLedger.ENTRY_OVERHEAD);
        Mailbox mailbox = mailbox(32, maxBytes, 64L * 1024 * 1024);
        String message = "x".repeat(body);
        assertThat(mailbox.offer(alice, id("bob"), text(message), true)).isEqualTo(Forwarded.HELD);
        assertThat(mailbox.offer(alice, id("bob"), text(message), true)).isEqualTo(Forwarded.HELD);
        assertThat(mailbox.offer(alice, id("bob"), text("x"), true)).isEqualTo(Forwarded.REFUSED);
        assertThat(mailbox.offer(alice, id("bob"), text("x".repeat((int) maxBytes)), true))
                .isEqualTo(Forwarded.REFUSED);
        assertThat(alice.errors()).extracting(SignalError::code).containsOnly(ErrorCode.MAILBOX_FULL);
        assertThat(alice.errors()).extracting(SignalError::detail)
                .containsExactly("the peer's mailbox is full", "message larger than a mailbox holds");
    }

    @Test
    void refusesBeyondTheNodesTotalAndNeverCountsMoreThanIt() {
        long total = 64 * 1024;
        Mailbox mailbox = mailbox(32, 8 * 1024, total);
        int held = 0;
        for (int i = 0; i < 1000; i++) {
            if (mailbox.offer(alice, id("peer-" + i), text("y".repeat(500)), true) == Forwarded.HELD) {
                held++;
            }
            assertThat(mailbox.bytesHeld()).isLessThanOrEqualTo(total);
        }
        assertThat(held).isBetween(50, 120);
        assertThat(alice.errors()).hasSize(1000 - held).extracting(SignalError::detail)
                .containsOnly("this node's mailbox is full");
        assertThat(mailbox.bytesHeld()).isGreaterThan(total - 1000);
    }

    @Test
    void aSenderThatLeavesLeavesNothingBehind() {
        Mailbox mailbox = mailbox();
        FakePeerSession carol = new FakePeerSession("carol");
        for (int i = 0; i < 5; i++) {
            mailbox.offer(alice, id("bob"), text("a" + i), true);
            mailbox.offer(carol, id("bob"), text("c" + i), true);
            mailbox.offer(alice, id("peer-" + i), text("a" + i), true);
        }
        mailbox.forget(alice);
        assertThat(mailbox.messagesHeld()).isEqualTo(5);
        mailbox.forget(carol);
        assertThat(mailbox.messagesHeld()).isZero();
        assertThat(mailbox.bytesHeld()).isZero();
        now.addAndGet(TTL.toNanos());
        mailbox.sweep();
        assertThat(alice.errors()).isEmpty();
    }

    @Test
    void aSenderClosingWhileItsMessageIsHeldKeepsNothing() {
        Mailbox mailbox = mailbox();
        alice.close(CloseReason.GOING_AWAY);
        mailbox.offer(alice, id("bob"), text("x"), true);
        assertThat(mailbox.messagesHeld()).isZero();
    }

    @Test
    void aTooSlowRecipientIsRefusedNotHeld() {
        Mailbox mailbox = mailbox();
        registry.bind(new FakePeerSession("bob").answering(DeliveryResult.OVERLOADED));
        assertThat(mailbox.offer(alice, id("bob"), text("x"), true)).isEqualTo(Forwarded.REFUSED);
        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.PEER_UNAVAILABLE);
    }

    @Test
    void theLocalRelayWithoutAMailboxStillAnswersPeerUnavailable() {
        LocalRelay relay = new LocalRelay(new MailboxLimits(Duration.ZERO, 1, 1, 1));
        assertThat(relay.mailbox()).isNull();
        assertThat(relay.forward(alice, id("bob"), text("x"))).isEqualTo(Forwarded.REFUSED);
        assertThat(alice.errors()).extracting(SignalError::code).containsExactly(ErrorCode.PEER_UNAVAILABLE);
    }

    @Test
    void theLocalRelayHoldsForAnIdBeingTakenOverAndTheNewcomerGetsItOnce() {
        try (LocalRelay relay = new LocalRelay(new MailboxLimits(TTL, 32, 256 * 1024, 1 << 20))) {
            PeerId bob = id("bob");
            Claim keyed = Claim.of(bob, new byte[32], null, false);
            FakePeerSession old = new FakePeerSession(keyed);
            relay.claim(old);
            FakePeerSession newcomer = new FakePeerSession(keyed).answering(DeliveryResult.CONNECTING);
            assertThat(relay.claim(newcomer).toCompletableFuture().join()).isEqualTo(ClaimResult.REPLACED);
            assertThat(old.closes()).containsExactly(CloseReason.REPLACED);
            assertThat(relay.forward(alice, bob, text("gap"))).isEqualTo(Forwarded.HELD);
            newcomer.answering(DeliveryResult.QUEUED);
            relay.opened(newcomer);
            relay.opened(newcomer);
            assertThat(relay.forward(alice, bob, text("after"))).isEqualTo(Forwarded.LOCAL);
            assertThat(newcomer.deliveries()).containsExactly("gap", "after");
            assertThat(old.deliveries()).isEmpty();
        }
    }
}
