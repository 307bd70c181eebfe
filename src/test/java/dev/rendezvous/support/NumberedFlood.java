package dev.rendezvous.support;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread sending {@code {"to":<to>,"n":1}}, {@code {"to":<to>,"n":2}}, … as fast as the socket
 * takes them, until closed: the traffic under which an ID changes hands in the ordering tests.
 */
public final class NumberedFlood implements AutoCloseable {

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private NumberedFlood(TestClient sender, String to) {
        thread = new Thread(() -> {
            while (!stop.get()) {
                sender.send("{\"to\":\"" + to + "\",\"n\":" + sent.incrementAndGet() + "}");
            }
        }, "flood-" + to);
    }

    public static NumberedFlood start(TestClient sender, String to) {
        NumberedFlood flood = new NumberedFlood(sender, to);
        flood.thread.start();
        return flood;
    }

    /** How many messages were sent so far; final once {@link #close} returned. */
    public int sent() {
        return sent.get();
    }

    /** Stops sending and waits for the thread's last message to be written. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }
}
