package dev.rendezvous.admission;

import dev.rendezvous.admission.ClientAddress.ClientKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-client limits: open sockets ({@code --max-connections-per-ip}) and the handshake bucket
 * ({@code --handshake-rate}, {@code --handshake-burst}), one entry per client (an IPv4 address or
 * an IPv6 /64; see {@link ClientAddress#key()}). An entry is shared by all of its client's sockets
 * (an idle socket costs nothing here) and exists only while it matters: it is dropped as soon as
 * its client holds no socket and its bucket is full again; entries left behind by closed sockets
 * whose bucket was still refilling are swept every ten seconds.
 *
 * <p>Bounded under attack: entries with sockets are bounded by the node's sockets; the others by
 * {@link #IDLE_ALLOWANCE} on top. A new client that finds the table full (a flood from more
 * addresses than that within one refill period) is refused as over the handshake rate until a
 * sweep makes room; clients already in the table are unaffected.
 */
final class ClientLimits {

    /** Entries beyond the node's socket limit, for clients whose bucket is still refilling. */
    static final int IDLE_ALLOWANCE = 65_536;

    private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;
    private static final long FULL_TABLE_SWEEP_EVERY_NANOS = 1_000_000_000L;

    /** What {@link #tryAcquire} decided. */
    enum Outcome { ADMITTED, OVER_RATE, OVER_CONNECTIONS, TABLE_FULL }

    private final int maxPerClient;
    private final TokenBucket handshakes;
    private final int capacity;
    private final ConcurrentHashMap<ClientKey, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /**
     * @param maxPerClient sockets per client, 0 for no limit
     * @param handshakes   the handshake bucket, or null for no rate limit
     * @param maxSockets   the node's socket limit, which bounds the entries that hold sockets
     */
    ClientLimits(int maxPerClient, TokenBucket handshakes, int maxSockets, long nowNanos) {
        this.maxPerClient = maxPerClient;
        this.handshakes = handshakes;
        this.capacity = (int) Math.min(Integer.MAX_VALUE, (long) maxSockets + IDLE_ALLOWANCE);
        this.lastSweep = new AtomicLong(nowNanos);
    }

    /** One client's sockets and bucket; touched only inside the map's per-key compute. */
    private static final class Entry {
        int open;
        long bucket;

        Entry(long nowNanos) {
            bucket = TokenBucket.full(nowNanos);
        }
    }

    /** The verdict for one upgrade, with how long to wait when refused for the rate. */
    record Decision(Outcome outcome, long waitNanos) {
        static final Decision ADMITTED = new Decision(Outcome.ADMITTED, 0);
        static final Decision OVER_CONNECTIONS = new Decision(Outcome.OVER_CONNECTIONS, 0);
        static final Decision TABLE_FULL = new Decision(Outcome.TABLE_FULL, FULL_TABLE_SWEEP_EVERY_NANOS);
    }

    /** Takes a socket slot and a handshake token for {@code key}, or says why not. */
    Decision tryAcquire(ClientKey key, long nowNanos) {
        sweepIfDue(nowNanos, entries.size() >= capacity ? FULL_TABLE_SWEEP_EVERY_NANOS : SWEEP_EVERY_NANOS);
        Decision[] decision = {Decision.TABLE_FULL};
        entries.compute(key, (k, entry) -> {
            if (entry == null) {
                if (entries.size() >= capacity) {
                    return null;
                }
                entry = new Entry(nowNanos);
            }
            decision[0] = decide(entry, nowNanos);
            return entry;
        });
        return decision[0];
    }

    private Decision decide(Entry entry, long nowNanos) {
        if (handshakes != null && !handshakes.fits(entry.bucket, nowNanos)) {
            return new Decision(Outcome.OVER_RATE, handshakes.waitNanos(entry.bucket, nowNanos));
        }
        if (maxPerClient > 0 && entry.open >= maxPerClient) {
            return Decision.OVER_CONNECTIONS;
        }
        if (handshakes != null) {
            entry.bucket = handshakes.take(entry.bucket, nowNanos);
        }
        entry.open++;
        return Decision.ADMITTED;
    }

    /** Gives back the socket slot {@link #tryAcquire} took for {@code key}. */
    void release(ClientKey key, long nowNanos) {
        entries.computeIfPresent(key, (k, entry) -> {
            entry.open--;
            return idle(entry, nowNanos) ? null : entry;
        });
    }

    private boolean idle(Entry entry, long nowNanos) {
        return entry.open <= 0 && (handshakes == null || handshakes.isFull(entry.bucket, nowNanos));
    }

    /**
     * Drops idle entries, at most once per {@code everyNanos}, on the thread that finds it due: a
     * pass over a table of that bound costs milliseconds at most.
     */
    private void sweepIfDue(long nowNanos, long everyNanos) {
        long last = lastSweep.get();
        if (nowNanos - last < everyNanos || !lastSweep.compareAndSet(last, nowNanos)) {
            return;
        }
        for (ClientKey key : entries.keySet()) {
            entries.computeIfPresent(key, (k, entry) -> idle(entry, nowNanos) ? null : entry);
        }
    }

    int size() {
        return entries.size();
    }

    /** Sockets {@code key} holds now; 0 for a client not in the table. */
    int openFor(ClientKey key) {
        Entry entry = entries.get(key);
        return entry == null ? 0 : entry.open;
    }
}
