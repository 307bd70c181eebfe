package dev.rendezvous.cluster;

import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's leases alive: every third of the TTL, one Lua script per batch of
 * {@link IdDirectory#BATCH} keys renews them all. A round that fails (Redis down) is retried
 * quickly, so that once Redis is back the node re-asserts its IDs within a fraction of a second.
 * A key another node took meanwhile closes the local socket with 4409: uniqueness wins.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    static final Duration RETRY_DELAY = Duration.ofMillis(250);

    private final Map<PeerId, Lease> leases;
    private final IdDirectory directory;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private volatile boolean closed;

    LeaseKeeper(Map<PeerId, Lease> leases, IdDirectory directory, Duration interval, NodeId node) {
        this.leases = leases;
        this.directory = directory;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rendezvous-leases-" + node);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        schedule(interval);
    }

    /** Whether the last renewal round reached Redis. */
    boolean healthy() {
        return healthy.get();
    }

    /** Runs a round now, off the timer's schedule; the next round follows it as usual. */
    CompletableFuture<Void> renewNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timer.execute(() -> renewAll().whenComplete((ignored, failure) -> done.complete(null)));
        return done;
    }

    private void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(this::round, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed between the check and the call: nothing left to renew.
        }
    }

    private void round() {
        renewAll().whenComplete((ignored, failure) -> schedule(failure == null ? interval : RETRY_DELAY));
    }

    private CompletableFuture<Void> renewAll() {
        List<Lease> snapshot = new ArrayList<>(leases.values());
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < snapshot.size(); from += IdDirectory.BATCH) {
            List<Lease> batch = snapshot.subList(from, Math.min(snapshot.size(), from + IdDirectory.BATCH));
            batches.add(directory.renew(batch).thenAccept(codes -> apply(batch, codes)).toCompletableFuture());
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            boolean wasHealthy = healthy.getAndSet(failure == null);
            if (failure != null && wasHealthy) {
                log.error("cannot renew {} id leases: {}", snapshot.size(), failure.toString());
            } else if (failure == null && !wasHealthy) {
                log.info("id leases renewed again ({} held)", snapshot.size());
            }
        });
    }

    private void apply(List<Lease> batch, List<Long> codes) {
        int reasserted = 0;
        for (int i = 0; i < batch.size(); i++) {
            Lease lease = batch.get(i);
            long code = codes.get(i);
            if (code == IdDirectory.REASSERTED) {
                reasserted++;
            } else if (code == IdDirectory.LOST && leases.remove(lease.session().id(), lease)) {
                log.warn("peer={} lost its id lease to another node; closing", lease.session().id());
                lease.session().close(CloseReason.ID_TAKEN);
            }
        }
        if (reasserted > 0) {
            log.info("re-asserted {} id leases missing from redis", reasserted);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
