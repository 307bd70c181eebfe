package dev.rendezvous.cluster;

import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's leases alive: every third of the TTL, one Lua script per batch of
 * {@link IdDirectory#BATCH} keys renews them all (a node without leases sends a PING), so each
 * round also tells whether Redis answers — the node's readiness. A round that fails (Redis down
 * or hung) is retried quickly, and a round runs at once whenever a Redis connection is
 * (re)established, so that once Redis is back the node re-asserts its IDs within a fraction of a
 * second, even if Redis restarted empty between two rounds. A key another node took meanwhile
 * closes the local socket with 4409: uniqueness wins; a key a newer socket took over (its value
 * names this lease as the one it replaced) closes it with 4410, as the takeover's notice would.
 *
 * <p>Scheduling state is only touched on the keeper's own thread, so exactly one chain of rounds
 * exists whatever triggers them.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    static final Duration RETRY_DELAY = Duration.ofMillis(250);

    /** How long close() waits for a round being sent; sending never blocks, so this is a safety net. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private final Map<PeerId, Lease> leases;
    private final IdDirectory directory;
    private final Duration interval;
    private final Runnable eachRound;
    private final Duration closeWait;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private volatile boolean closed;

    // Keeper thread only.
    private ScheduledFuture<?> next;
    private boolean inFlight;
    private boolean runAgainAtOnce;

    LeaseKeeper(Map<PeerId, Lease> leases, IdDirectory directory, Duration interval, NodeId node) {
        this(leases, directory, interval, node, () -> { }, CLOSE_WAIT);
    }

    /**
     * @param eachRound runs on the keeper thread at the start of every round: other checks that
     *                  must be retried until Redis agrees, such as the node's subscription
     * @param closeWait how long {@link #close()} waits for a round being sent
     */
    LeaseKeeper(Map<PeerId, Lease> leases, IdDirectory directory, Duration interval, NodeId node, Runnable eachRound,
            Duration closeWait) {
        this.leases = leases;
        this.directory = directory;
        this.interval = interval;
        this.eachRound = eachRound;
        this.closeWait = closeWait;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "rendezvous-leases-" + node);
            thread.setDaemon(true);
            return thread;
        });
        // At close, rounds scheduled for later are dropped; a task already running is waited for.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = executor;
    }

    void start() {
        onKeeperThread(() -> schedule(interval));
    }

    /** Whether {@link #close()} has begun. */
    boolean closing() {
        return closed;
    }

    /** Whether the last round reached Redis. */
    boolean healthy() {
        return healthy.get();
    }

    /** Runs a round as soon as possible (after the one in flight, if any); the schedule follows from it. */
    void renewSoon() {
        onKeeperThread(() -> {
            if (inFlight) {
                runAgainAtOnce = true;
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            round();
        });
    }

    /** Runs a round now, off the schedule, and completes when it has; for tests. */
    CompletableFuture<Void> renewNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onKeeperThread(() -> renewAll().whenComplete((ignored, failure) -> done.complete(null)));
        return done;
    }

    private void schedule(Duration delay) {
        try {
            next = closed ? null : timer.schedule(this::round, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            next = null; // closed meanwhile
        }
    }

    private void round() {
        next = null;
        inFlight = true;
        renewAll().whenComplete((ignored, failure) -> onKeeperThread(() -> {
            inFlight = false;
            if (runAgainAtOnce) {
                runAgainAtOnce = false;
                round();
            } else {
                schedule(failure == null ? interval : RETRY_DELAY);
            }
        }));
    }

    private void onKeeperThread(Runnable task) {
        if (closed) {
            return;
        }
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed between the check and the call: nothing left to renew.
        }
    }

    private CompletableFuture<Void> renewAll() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            eachRound.run();
        } catch (RuntimeException e) {
            // Never lose the round, and with it the chain of rounds, to a side check.
            log.warn("lease round side check failed: {}", e.toString());
        }
        List<Lease> snapshot = new ArrayList<>(leases.values());
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < snapshot.size() && !closed; from += IdDirectory.BATCH) {
            List<Lease> batch = snapshot.subList(from, Math.min(snapshot.size(), from + IdDirectory.BATCH));
            batches.add(directory.renew(batch).thenAccept(codes -> apply(batch, codes)).toCompletableFuture());
        }
        if (batches.isEmpty()) {
            batches.add(directory.reachable().toCompletableFuture());
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            boolean wasHealthy = healthy.getAndSet(failure == null);
            if (failure != null && wasHealthy) {
                log.error("cannot renew {} id leases, redis does not answer: {}", snapshot.size(),
                        failure.toString());
            } else if (failure == null && !wasHealthy) {
                log.info("id leases renewed again ({} held): redis answers", snapshot.size());
            }
        });
    }

    private void apply(List<Lease> batch, List<Long> codes) {
        int reasserted = 0;
        for (int i = 0; i < batch.size(); i++) {
            Lease lease = batch.get(i);
            long code = codes.get(i);
            boolean gone = code == IdDirectory.LOST || code == IdDirectory.REPLACED;
            if (!gone && leases.get(lease.session().id()) != lease) {
                // Released after the snapshot: its delete may have reached Redis before this
                // round, which then wrote the key again. Delete it (again); the token makes that
                // safe even if the ID has a new owner meanwhile.
                directory.release(lease.key(), lease.token());
            } else if (code == IdDirectory.REASSERTED) {
                reasserted++;
            } else if (code == IdDirectory.REPLACED && leases.remove(lease.session().id(), lease)) {
                // The takeover's notice is on its way too; whichever comes first closes the socket.
                log.debug("peer={} was taken over by a newer socket; closing", lease.session().id());
                lease.session().close(CloseReason.REPLACED);
            } else if (code == IdDirectory.LOST && leases.remove(lease.session().id(), lease)) {
                log.warn("peer={} lost its id lease to another node; closing", lease.session().id());
                lease.session().close(CloseReason.ID_TAKEN);
            }
        }
        if (reasserted > 0) {
            log.info("re-asserted {} id leases missing from redis", reasserted);
        }
    }

    /**
     * Stops renewing, and returns only once no round is being sent: the node releases its leases
     * next, and a renewal sent after that release would write them back for a whole TTL.
     * Commands sent before it reach Redis first (one connection, in order), so they are harmless.
     */
    @Override
    public void close() {
        closed = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("lease keeper still busy after {}; leaving without it", closeWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
