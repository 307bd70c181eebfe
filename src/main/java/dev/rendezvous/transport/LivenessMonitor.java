package dev.rendezvous.transport;

import dev.rendezvous.signaling.CloseReason;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings every open socket once per ping interval and closes (4408) those from which nothing has
 * arrived for the idle timeout. One sweeping thread instead of a timer per socket keeps the cost
 * of an idle socket at two longs; the sweep runs several times per interval so that each socket
 * is pinged close to its own schedule and an idle one is closed at most a tick late.
 */
final class LivenessMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivenessMonitor.class);

    private final OpenSessions sessions;
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private final ScheduledExecutorService timer;

    LivenessMonitor(OpenSessions sessions, Duration pingInterval, Duration idleTimeout) {
        this.sessions = sessions;
        this.pingIntervalNanos = pingInterval.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rendezvous-liveness");
            thread.setDaemon(true);
            return thread;
        });
        long tickMillis = Math.max(10, Math.min(pingInterval.toMillis(), idleTimeout.toMillis()) / 4);
        timer.scheduleAtFixedRate(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (WebSocketSession session : sessions.all()) {
                if (now - session.lastInboundNanos() >= idleTimeoutNanos) {
                    log.debug("peer={} idle for the timeout, closing", session.id());
                    session.close(CloseReason.IDLE_TIMEOUT);
                } else {
                    session.pingIfDue(now, pingIntervalNanos);
                }
            }
        } catch (RuntimeException e) {
            log.error("liveness sweep failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
