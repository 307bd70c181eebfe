package dev.rendezvous.bench;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Opens sockets with a bound on handshakes in flight and, optionally, on new sockets per second,
 * so the server sees a steady stream of connects rather than a SYN flood. Runs on the event loop.
 */
final class Opener {

    private record Pending(URI url, String id) {
    }

    private final Clients clients;
    private final BenchSocket.Listener listener;
    private final int maxInFlight;
    private final long nanosPerOpen;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private int inFlight;
    private long nextAllowed;
    private boolean scheduled;
    private CountDownLatch done = new CountDownLatch(0);

    Opener(Clients clients, BenchSocket.Listener listener, int maxInFlight, int perSecond) {
        this.clients = clients;
        this.listener = listener;
        this.maxInFlight = maxInFlight;
        this.nanosPerOpen = perSecond > 0 ? 1_000_000_000L / perSecond : 0;
    }

    /** Queues sockets to open; call on the event loop. */
    void add(URI url, String id) {
        pending.add(new Pending(url, id));
    }

    /** Opens everything queued; the latch opens when every one has opened or failed. */
    CountDownLatch start() {
        done = new CountDownLatch(1);
        nextAllowed = System.nanoTime();
        pump();
        return done;
    }

    /** The scenario reports each socket that opened or failed while opening. */
    void settled() {
        inFlight--;
        pump();
    }

    private void pump() {
        long now = System.nanoTime();
        while (!pending.isEmpty() && inFlight < maxInFlight && now >= nextAllowed) {
            Pending p = pending.poll();
            inFlight++;
            clients.connect(p.url(), p.id(), listener);
            nextAllowed += nanosPerOpen;
        }
        if (pending.isEmpty() && inFlight == 0) {
            done.countDown();
        } else if (!pending.isEmpty() && inFlight < maxInFlight && !scheduled) {
            scheduled = true;
            clients.loop().schedule(() -> {
                scheduled = false;
                pump();
            }, Math.max(0, nextAllowed - now), TimeUnit.NANOSECONDS);
        }
    }
}
