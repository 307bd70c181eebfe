package dev.rendezvous.admission;

import dev.rendezvous.admission.ClientAddress.ClientKey;
import dev.rendezvous.signaling.PeerId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every refusal ({@link Refusals}) and logs it at INFO, at most one line per cause and
 * client (an IPv4 address or IPv6 /64) per minute: a flood is one line a minute per source, not
 * one per attempt. A line says how many refusals of that cause and client went unlogged since the
 * previous one. Memory is bounded: at most {@link #TRACKED} cause-and-client pairs are remembered;
 * refusals beyond them, and those a pair held back when it is forgotten, are summed in one line a
 * minute. Lines carry the cause, the address and a fixed description, never a body or a token.
 */
public final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

    static final int TRACKED = 1_000;
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final Refusals counter;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong lastSweep;

    public RefusalLog(Refusals counter) {
        this(counter, System::nanoTime);
    }

    RefusalLog(Refusals counter, LongSupplier clock) {
        this.counter = counter;
        this.clock = clock;
        this.lastSweep = new AtomicLong(clock.getAsLong());
    }

    private record Key(RefusalCause cause, ClientKey client) {
    }

    /** One pair's current minute: when its last line was written, and what was held back since. */
    private static final class Window {
        final long start;
        final AtomicLong held = new AtomicLong();

        Window(long start) {
            this.start = start;
        }
    }

    /**
     * Counts a refusal of {@code client} and logs it unless its pair already had a line in the last
     * minute. {@code detail} is a fixed text or a value the node decided on (a normalised origin, a
     * limit), never anything the client wrote.
     */
    public void refused(RefusalCause cause, ClientAddress client, String detail) {
        refused(cause, client, null, detail);
    }

    /** The same for a refusal after the upgrade, which names the socket's ID. */
    public void refused(RefusalCause cause, ClientAddress client, PeerId peer, String detail) {
        counter.refused(cause);
        long now = clock.getAsLong();
        sweepIfDue(now);
        Key key = new Key(cause, client.key());
        Window window = windows.get(key);
        if (window != null && now - window.start < WINDOW_NANOS) {
            window.held.incrementAndGet();
            return;
        }
        if (window == null && windows.size() >= TRACKED) {
            unlogged.incrementAndGet();
            return;
        }
        Window next = new Window(now);
        boolean mine = window == null ? windows.putIfAbsent(key, next) == null : windows.replace(key, window, next);
        if (!mine) {
            // Another event loop wrote this pair's line in the same instant.
            Window current = windows.get(key);
            (current != null ? current.held : unlogged).incrementAndGet();
            return;
        }
        long held = window == null ? 0 : window.held.get();
        String who = peer == null ? "" : " peer=" + peer;
        if (held == 0) {
            log.info("refused {} from {}{}: {}", cause.label(), client, who, detail);
        } else {
            log.info("refused {} from {}{}: {} ({} more like it since the last such line not logged)",
                    cause.label(), client, who, detail, held);
        }
    }

    /**
     * Once a minute, forgets the pairs that went a whole minute past their own without a refusal,
     * and reports in one line what they, and the refusals beyond the tracked pairs, held back. A
     * pair that is still being refused reports its own count in its next line instead.
     */
    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < WINDOW_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        long held = unlogged.getAndSet(0);
        for (var entry : windows.entrySet()) {
            Window window = entry.getValue();
            if (now - window.start >= 2 * WINDOW_NANOS && windows.remove(entry.getKey(), window)) {
                held += window.held.get();
            }
        }
        if (held > 0) {
            log.info("{} refusals not logged since the last such line (held back by the one-line-a-minute"
                    + " throttle, or from more than {} clients at once)", held, TRACKED);
        }
    }
}
