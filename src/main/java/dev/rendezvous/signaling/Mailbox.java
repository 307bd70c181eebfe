package dev.rendezvous.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Messages held on this node for IDs that nobody holds yet (or whose socket is still connecting),
 * delivered first when the ID connects, in the order they were accepted. Each message is held at
 * most for the TTL, within the bounds per recipient and for the node ({@link HeldLedger} counts
 * what it keeps); a message that expires gives its sender one {@code expired} error frame, and a
 * sender that disconnects leaves nothing behind.
 *
 * <p>One lock guards it all: the mailbox is the rare path, every step under the lock is O(1) or
 * bounded by one recipient's messages, and one lock makes the hand-over exact. A sender that finds
 * the recipient absent or connecting appends under it; the recipient's first delivery
 * ({@link #opened}) takes everything under it after the socket was marked open, so nothing is
 * stranded between the two and nothing overtakes. Expiry is one task at a time on one thread.
 */
public final class Mailbox implements AutoCloseable {

    /** The shortest wait between two sweeps: a flood of holds cannot make the sweeper spin. */
    static final long MIN_SWEEP_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Object lock = new Object();
    private final HeldLedger ledger = new HeldLedger();
    private final MailboxLimits limits;
    private final long ttlNanos;
    private final Function<PeerId, PeerSession> registry;
    private final LongSupplier clock;
    /** Null in tests that sweep by hand. */
    private final ScheduledExecutorService sweeper;
    private volatile long bytesHeld;
    private volatile int messagesHeld;
    private boolean sweepPending;
    private boolean closed;

    /** @param registry the sessions bound on this node, by ID */
    public Mailbox(MailboxLimits limits, Function<PeerId, PeerSession> registry) {
        this(limits, registry, System::nanoTime, Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rendezvous-mailbox");
            thread.setDaemon(true);
            return thread;
        }));
    }

    Mailbox(MailboxLimits limits, Function<PeerId, PeerSession> registry, LongSupplier clock,
            ScheduledExecutorService sweeper) {
        if (!limits.enabled()) {
            throw new IllegalArgumentException("a mailbox needs a ttl");
        }
        this.limits = limits;
        this.ttlNanos = limits.ttl().toNanos();
        this.registry = registry;
        this.clock = clock;
        this.sweeper = sweeper;
    }

    public MailboxLimits limits() {
        return limits;
    }

    /** The bytes this node keeps for held messages, bookkeeping included; never above the total bound. */
    public long bytesHeld() {
        return bytesHeld;
    }

    public int messagesHeld() {
        return messagesHeld;
    }

    /**
     * A message whose recipient is not bound on this node, or whose socket did not take it (still
     * connecting, or closing): delivered if a socket here takes it now, else held. Returns
     * {@link Forwarded#LOCAL}, {@link Forwarded#HELD} (the sender got a {@code held} notice) or
     * {@link Forwarded#REFUSED} ({@code mailbox-full}, or {@code peer-unavailable} for a socket too
     * slow to read). With {@code holdWhenAbsent} false (a cluster node: an ID absent here may connect
     * anywhere) returns null and holds nothing unless a socket here is connecting as the recipient.
     */
    public Forwarded offer(PeerSession sender, PeerId recipient, Payload payload, boolean holdWhenAbsent) {
        SignalError refusal;
        synchronized (lock) {
            PeerSession here = registry.apply(recipient);
            DeliveryResult result = here == null ? DeliveryResult.CLOSED : here.deliver(payload);
            if (result == DeliveryResult.QUEUED) {
                return Forwarded.LOCAL;
            }
            if (result == DeliveryResult.CLOSED && !holdWhenAbsent) {
                return null;
            }
            refusal = result == DeliveryResult.OVERLOADED
                    ? SignalError.peerUnavailable(recipient.value(), LocalRelay.undeliverable(result))
                    : hold(sender, recipient, payload);
        }
        if (refusal != null) {
            sender.sendError(refusal);
            return Forwarded.REFUSED;
        }
        if (sender.sendHeld(recipient) == DeliveryResult.CLOSED) {
            forget(sender); // closed meanwhile: its own release may have run before the hold
        }
        return Forwarded.HELD;
    }

    /** Under the lock. Null when held, else why not. */
    private SignalError hold(PeerSession sender, PeerId recipient, Payload payload) {
        int charge = HeldLedger.chargeOf(payload.length());
        Held.Box box = ledger.box(recipient);
        if (closed) {
            return SignalError.nobodyConnected(recipient.value());
        }
        if (charge > limits.maxBytes()) {
            return SignalError.mailboxFull(recipient.value(), "message larger than a mailbox holds");
        }
        if (box != null && (box.count >= limits.maxMessages() || box.bytes + charge > limits.maxBytes())) {
            return SignalError.mailboxFull(recipient.value(), "the peer's mailbox is full");
        }
        if (!ledger.fits(limits.totalBytes(), sender, recipient, charge)) {
            return SignalError.mailboxFull(recipient.value(), "this node's mailbox is full");
        }
        ledger.add(new Held(sender, payload.toByteArray(), clock.getAsLong() + ttlNanos, charge), recipient);
        changed();
        return null;
    }

    /**
     * Messages for {@code recipient} that were held elsewhere (a cluster's Redis) before anything
     * held here, so they go first, in the given order; a message the node's bound cannot take
     * gives its sender {@code mailbox-full}.
     */
    public void holdFirst(PeerId recipient, List<PeerSession> senders, List<byte[]> messages) {
        List<PeerSession> refused = null;
        synchronized (lock) {
            Held.Box box = ledger.box(recipient);
            Held before = box == null ? null : box.first;
            long expiresAt = clock.getAsLong() + ttlNanos;
            for (int i = 0; i < messages.size(); i++) {
                int charge = HeldLedger.chargeOf(messages.get(i).length);
                if (closed || !ledger.fits(limits.totalBytes(), senders.get(i), recipient, charge)) {
                    refused = appended(refused, senders.get(i));
                    continue;
                }
                ledger.add(new Held(senders.get(i), messages.get(i), expiresAt, charge), recipient, before);
            }
            changed();
        }
        if (refused != null) {
            refused.forEach(sender -> sender.sendError(
                    SignalError.mailboxFull(recipient.value(), "this node's mailbox is full")));
        }
    }

    /** Counts {@code bytes} kept elsewhere for this node against its total bound; false when they do not fit. */
    public boolean reserve(int bytes) {
        synchronized (lock) {
            if (closed || !ledger.fits(limits.totalBytes(), bytes)) {
                return false;
            }
            ledger.reserve(bytes);
            changed();
            return true;
        }
    }

    public void unreserve(long bytes) {
        synchronized (lock) {
            ledger.reserve(-bytes);
            changed();
        }
    }

    /** Runs {@code task} on the mailbox's thread after {@code delayNanos}, unless the mailbox closed. */
    public void later(Runnable task, long delayNanos) {
        try {
            if (sweeper != null) {
                sweeper.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException closed) {
            // The node is stopping, and what is held goes with it.
        }
    }

    /**
     * The socket bound to {@code session}'s ID takes messages now: writes what is held for it, oldest
     * first. Called on its event loop in the task that marked it open, so every later delivery
     * (queued behind this task, or appended here before it) comes after. A message past its TTL is
     * expired instead; if the socket stops taking messages, the rest stays held for its next one.
     */
    public void opened(PeerSession session) {
        if (messagesHeld == 0) {
            return;
        }
        List<Held> expired = null;
        synchronized (lock) {
            Held.Box box = ledger.box(session.id());
            if (box == null) {
                return;
            }
            long now = clock.getAsLong();
            Held next;
            while ((next = box.first) != null) {
                if (next.expiresAt - now <= 0) {
                    ledger.remove(next);
                    expired = appended(expired, next);
                } else if (session.deliver(new HandedOverPayload(next.bytes)) == DeliveryResult.QUEUED) {
                    ledger.remove(next);
                } else {
                    break;
                }
            }
            changed();
        }
        tellExpired(expired);
    }

    /** {@code sender} disconnected: nothing is kept for it. */
    public void forget(PeerSession sender) {
        if (messagesHeld == 0) {
            return;
        }
        synchronized (lock) {
            Held entry;
            while ((entry = ledger.firstOf(sender)) != null) {
                ledger.remove(entry);
            }
            changed();
        }
    }

    /** Expires what is past its TTL and schedules the next sweep for the oldest left. */
    void sweep() {
        List<Held> expired = null;
        synchronized (lock) {
            sweepPending = false;
            if (closed) {
                return;
            }
            long now = clock.getAsLong();
            Held oldest;
            while ((oldest = ledger.oldest()) != null && oldest.expiresAt - now <= 0) {
                ledger.remove(oldest);
                expired = appended(expired, oldest);
            }
            if (oldest != null) {
                schedule(Math.max(oldest.expiresAt - now, MIN_SWEEP_GAP_NANOS));
            }
            changed();
        }
        tellExpired(expired);
    }

    /** Under the lock, after every change: publishes the counts and makes sure a sweep will come. */
    private void changed() {
        bytesHeld = ledger.charged();
        messagesHeld = ledger.messages();
        if (!sweepPending && messagesHeld > 0) {
            schedule(ttlNanos);
        }
    }

    private void schedule(long delayNanos) {
        sweepPending = true;
        if (sweeper != null) {
            sweeper.schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Outside the lock: a sender's socket may be on any thread. */
    private static void tellExpired(List<Held> expired) {
        if (expired == null) {
            return;
        }
        for (Held entry : expired) {
            entry.sender.sendError(SignalError.expired(entry.recipient().value()));
        }
    }

    private static <T> List<T> appended(List<T> list, T entry) {
        List<T> to = list != null ? list : new ArrayList<>();
        to.add(entry);
        return to;
    }

    /** Stops the sweeps; what is held is dropped with the node. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
