package dev.rendezvous.admission;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.signaling.PeerId;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks grants without ever blocking an event loop: with local keys (secrets, a PEM key) the
 * check is a few microseconds of CPU and runs on the caller's thread; with a JWKS it may wait for
 * the provider, so it runs on a few threads of its own behind a bounded queue. A full queue is
 * {@link Verdict.Kind#UNAVAILABLE}: better a prompt "try again" than an unbounded backlog.
 */
final class Grants implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Grants.class);

    private final GrantKeys keys;
    private final GrantVerifier verifier;
    private final ThreadPoolExecutor executor;

    Grants(AuthConfig auth, JwksSettings jwks) {
        this.keys = GrantKeys.load(auth, jwks);
        this.verifier = new GrantVerifier(auth, keys.selector());
        if (keys.remote()) {
            AtomicInteger count = new AtomicInteger();
            this.executor = new ThreadPoolExecutor(jwks.threads(), jwks.threads(), 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(jwks.queue()), runnable -> {
                        Thread thread = new Thread(runnable, "rendezvous-grants-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.execute(() -> {
                try {
                    keys.prefetch();
                    log.info("grant keys fetched from {}", auth.jwksUrl());
                } catch (Exception e) {
                    log.error("cannot fetch grant keys from {} (grants are refused with 1013 until it answers): {}",
                            auth.jwksUrl(), e.toString());
                }
            });
        } else {
            this.executor = null;
        }
    }

    CompletableFuture<Verdict> check(String token, PeerId id) {
        if (executor == null) {
            return CompletableFuture.completedFuture(verifier.verify(token, id));
        }
        try {
            return CompletableFuture.supplyAsync(() -> verifier.verify(token, id), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Verdict.refused(Verdict.Kind.UNAVAILABLE, "grant check queue full"));
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        try {
            keys.close();
        } catch (IOException e) {
            log.debug("closing the grant key source: {}", e.toString());
        }
    }
}
