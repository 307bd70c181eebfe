package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flood of messages toward many IDs that never connect: the mailbox refuses with
 * {@code mailbox-full} once {@code --mailbox-total-bytes} is reached, what it accounts never
 * exceeds the bound, and the heap it really takes (measured after a full collection) stays within
 * it too, so the bound is a bound on memory and not only on message bytes. After the flood expires,
 * the heap is given back.
 */
class MailboxFloodTest {

    private static final long TOTAL = 32L * 1024 * 1024;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Test
    void aFloodTowardManyAbsentIdsStaysWithinTheTotalBoundInHeap() throws Exception {
        PeerRegistry registry = new PeerRegistry();
        AtomicLongClock clock = new AtomicLongClock();
        Mailbox mailbox = new Mailbox(new MailboxLimits(Duration.ofSeconds(10), 32, 256 * 1024, TOTAL),
                registry::find, clock::now, null);
        CountingSender[] senders = new CountingSender[64];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new CountingSender("sender-" + i);
        }
        // Small messages to fingerprint-sized IDs: the case where bookkeeping weighs most.
        byte[] body = ("{\"type\":\"candidate\",\"candidate\":\"" + "c".repeat(60) + "\"}").getBytes();
        long before = usedHeapAfterGc();

        int held = 0;
        int refusedInARow = 0;
        for (int n = 0; refusedInARow < 1000; n++) {
            PeerId recipient = new PeerId("sha-256 " + String.format("%064x", n));
            Forwarded outcome = mailbox.offer(senders[n % senders.length], recipient, new ByteArrayPayload(body), true);
            if (outcome == Forwarded.HELD) {
                held++;
                refusedInARow = 0;
            } else {
                refusedInARow++;
            }
            if ((n & 1023) == 0) {
                assertThat(mailbox.bytesHeld()).isLessThanOrEqualTo(TOTAL);
            }
        }
        assertThat(mailbox.bytesHeld()).isLessThanOrEqualTo(TOTAL).isGreaterThan(TOTAL - 4096);
        int refused = 0;
        for (CountingSender sender : senders) {
            refused += sender.full.get();
        }
        assertThat(refused).isGreaterThanOrEqualTo(1000);
        long grown = usedHeapAfterGc() - before;
        // The accounting is an upper bound of what the entries take; a tenth of the bound is left
        // for what the measurement itself cannot separate (the collector's own regions and tables).
        System.out.printf("mailbox flood: %d messages, %d B accounted, %d B of heap%n", held, mailbox.bytesHeld(), grown);
        assertThat(grown).as("heap grown by a full mailbox (%d messages)", held).isLessThan(TOTAL + TOTAL / 10);

        clock.advance(Duration.ofSeconds(10));
        mailbox.sweep();
        assertThat(mailbox.messagesHeld()).isZero();
        assertThat(mailbox.bytesHeld()).isZero();
        assertThat(usedHeapAfterGc() - before).as("heap after the flood expired").isLessThan(TOTAL / 8);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        // A few rounds: one System.gc() can leave garbage that a concurrent cycle had not reached.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static final class AtomicLongClock {
        private volatile long nanos = 1_000_000_000L;

        long now() {
            return nanos;
        }

        void advance(Duration by) {
            nanos += by.toNanos();
        }
    }

    /** A sender that keeps nothing of what it is told, so that the test measures only the mailbox. */
    private static final class CountingSender implements PeerSession {
        private final PeerId id;
        final AtomicInteger full = new AtomicInteger();

        CountingSender(String id) {
            this.id = new PeerId(id);
        }

        @Override
        public PeerId id() {
            return id;
        }

        @Override
        public DeliveryResult deliver(Payload payload) {
            return DeliveryResult.QUEUED;
        }

        @Override
        public DeliveryResult sendError(SignalError error) {
            if (error.code() == ErrorCode.MAILBOX_FULL) {
                full.incrementAndGet();
            }
            return DeliveryResult.QUEUED;
        }

        @Override
        public DeliveryResult sendHeld(PeerId recipient) {
            return DeliveryResult.QUEUED;
        }

        @Override
        public void close(CloseReason reason) {
        }
    }
}
