package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.ClientAddress.ClientKey;
import dev.rendezvous.admission.ClientLimits.Outcome;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ClientKey ALICE = ClientAddress.parse("192.0.2.1").key();
    private static final ClientKey BOB = ClientAddress.parse("192.0.2.2").key();

    private long now = 42;

    @Test
    void capsTheSocketsOfOneClientAndNotOfAnother() {
        ClientLimits limits = new ClientLimits(2, null, 1000, now);
        assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.ADMITTED);
        assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.OVER_CONNECTIONS);
        assertThat(limits.tryAcquire(BOB, now).outcome()).isEqualTo(Outcome.ADMITTED);
        limits.release(ALICE, now);
        assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void refusesOverTheHandshakeRateWithTheWaitUntilTheNextToken() {
        ClientLimits limits = new ClientLimits(0, new TokenBucket(2, 3), 1000, now);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.ADMITTED);
        }
        ClientLimits.Decision refused = limits.tryAcquire(ALICE, now);
        assertThat(refused.outcome()).isEqualTo(Outcome.OVER_RATE);
        assertThat(refused.waitNanos()).isEqualTo(SECOND / 2);
        assertThat(limits.tryAcquire(ALICE, now + SECOND / 2).outcome()).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void dropsAClientOnceItHoldsNoSocketAndItsBucketIsFull() {
        ClientLimits limits = new ClientLimits(5, null, 1000, now);
        limits.tryAcquire(ALICE, now);
        limits.tryAcquire(ALICE, now);
        limits.release(ALICE, now);
        assertThat(limits.size()).isOne();
        limits.release(ALICE, now);
        assertThat(limits.size()).isZero();
    }

    @Test
    void sweepsClientsWhoseBucketRefilledAfterTheirLastSocketClosed() {
        ClientLimits limits = new ClientLimits(0, new TokenBucket(1, 5), 1000, now);
        limits.tryAcquire(ALICE, now);
        limits.release(ALICE, now);
        assertThat(limits.size()).as("still refilling").isOne();
        now += 11 * SECOND;
        limits.tryAcquire(BOB, now);
        assertThat(limits.openFor(ALICE)).isZero();
        assertThat(limits.size()).as("alice swept, bob in").isOne();
    }

    /**
     * A flood from more addresses than the table holds: each new address costs one entry until the
     * table is full, then new addresses are refused while known clients keep their share.
     */
    @Test
    void staysBoundedUnderAFloodFromManyAddresses() {
        int maxSockets = 10;
        ClientLimits limits = new ClientLimits(0, new TokenBucket(1, 1), maxSockets, now);
        assertThat(limits.tryAcquire(ALICE, now).outcome()).isEqualTo(Outcome.ADMITTED);
        int capacity = maxSockets + ClientLimits.IDLE_ALLOWANCE;
        int refused = 0;
        for (int i = 0; i < capacity + 1000; i++) {
            ClientKey attacker = new ClientKey(0x2001_0db8_0000_0000L + i, 16);
            Outcome outcome = limits.tryAcquire(attacker, now).outcome();
            if (outcome == Outcome.ADMITTED) {
                limits.release(attacker, now);
            } else {
                assertThat(outcome).isEqualTo(Outcome.TABLE_FULL);
                refused++;
            }
        }
        assertThat(limits.size()).isLessThanOrEqualTo(capacity);
        assertThat(refused).isEqualTo(1001);
        assertThat(limits.openFor(ALICE)).as("a known client is untouched").isOne();
        now += 11 * SECOND;
        assertThat(limits.tryAcquire(BOB, now).outcome()).as("room again after the sweep").isEqualTo(Outcome.ADMITTED);
        assertThat(limits.size()).isEqualTo(2);
    }
}
