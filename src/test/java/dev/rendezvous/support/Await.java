package dev.rendezvous.support;

import java.time.Duration;

/**
 * Waits for a state the test can only observe by asking, such as a readiness probe, a key in
 * Redis or a flag of the node, where no event exists to latch on. Bounded.
 */
public final class Await {

    public static final Duration BOUND = Duration.ofSeconds(10);

    /** A question about the system under test; may fail, as a probe can while a node restarts. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Asks every 20 ms until {@code condition} holds; fails after {@link #BOUND} naming {@code what}. */
    public static void until(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + BOUND.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
