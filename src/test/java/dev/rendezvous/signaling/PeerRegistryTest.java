package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeerRegistryTest {

    private final PeerRegistry registry = new PeerRegistry();

    @Test
    void claimsAFreeIdAndFindsItsSession() {
        FakePeerSession alice = new FakePeerSession("alice");

        assertThat(registry.claim(alice)).isTrue();

        assertThat(registry.find(new PeerId("alice"))).isSameAs(alice);
        assertThat(registry.size()).isOne();
    }

    @Test
    void refusesAnIdAnotherSessionHoldsAndKeepsTheHolder() {
        FakePeerSession holder = new FakePeerSession("alice");
        FakePeerSession latecomer = new FakePeerSession("alice");
        registry.claim(holder);

        assertThat(registry.claim(latecomer)).isFalse();

        assertThat(registry.find(holder.id())).isSameAs(holder);
    }

    @Test
    void releaseByASessionThatDoesNotHoldTheIdFreesNothing() {
        FakePeerSession holder = new FakePeerSession("alice");
        FakePeerSession loser = new FakePeerSession("alice");
        registry.claim(holder);
        registry.claim(loser);

        assertThat(registry.release(loser)).isFalse();

        assertThat(registry.find(holder.id())).isSameAs(holder);
    }

    @Test
    void releaseByTheHolderFreesTheIdForTheNextClaim() {
        FakePeerSession first = new FakePeerSession("alice");
        FakePeerSession reconnect = new FakePeerSession("alice");
        registry.claim(first);

        assertThat(registry.release(first)).isTrue();

        assertThat(registry.find(first.id())).isNull();
        assertThat(registry.claim(reconnect)).isTrue();
    }

    @Test
    void aLateReleaseOfAnOldSessionDoesNotFreeItsSuccessorsClaim() {
        FakePeerSession old = new FakePeerSession("alice");
        FakePeerSession successor = new FakePeerSession("alice");
        registry.claim(old);
        registry.release(old);
        registry.claim(successor);

        assertThat(registry.release(old)).isFalse();

        assertThat(registry.find(successor.id())).isSameAs(successor);
    }

    @Test
    void findReturnsNullForAnIdNobodyHolds() {
        assertThat(registry.find(new PeerId("nobody"))).isNull();
    }

    @Test
    void exactlyOneOfAThousandSimultaneousClaimsWins() throws InterruptedException {
        int contenders = 1_000;
        List<FakePeerSession> sessions = new ArrayList<>();
        boolean[] won = new boolean[contenders];
        CountDownLatch ready = new CountDownLatch(contenders);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            FakePeerSession session = new FakePeerSession("sha-256 AB:CD");
            sessions.add(session);
            int slot = i;
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    if (start.await(10, TimeUnit.SECONDS)) {
                        won[slot] = registry.claim(session);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(thread);
            thread.start();
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).as("all contenders ready").isTrue();
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).isFalse();
        }

        List<FakePeerSession> winners = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            if (won[i]) {
                winners.add(sessions.get(i));
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(registry.find(new PeerId("sha-256 AB:CD"))).isSameAs(winners.get(0));
        assertThat(registry.size()).isOne();

        sessions.stream().filter(s -> s != winners.get(0)).forEach(registry::release);
        assertThat(registry.find(new PeerId("sha-256 AB:CD"))).as("losers' releases free nothing").isSameAs(winners.get(0));
    }

    @Test
    void claimAndReleaseUnderChurnNeverLetTwoSessionsHoldOneIdAtOnce() throws InterruptedException {
        int threads = 8;
        int rounds = 20_000;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger failedReleases = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    if (!start.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    FakePeerSession session = new FakePeerSession("contested");
                    if (registry.claim(session)) {
                        claims.incrementAndGet();
                        if (holders.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        holders.decrementAndGet();
                        if (!registry.release(session)) {
                            failedReleases.incrementAndGet();
                        }
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).isFalse();
        }

        assertThat(overlaps.get()).isZero();
        assertThat(failedReleases.get()).as("a holder's own release always succeeds").isZero();
        assertThat(claims.get()).isPositive();
        assertThat(registry.size()).isZero();
    }
}
