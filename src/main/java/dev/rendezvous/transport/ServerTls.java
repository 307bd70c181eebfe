package dev.rendezvous.transport;

import dev.rendezvous.config.TlsConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate and key the node serves, reloaded when their files change. The context is one
 * volatile reference the channel initializer reads for each new connection, so a reload affects
 * only handshakes that start after it; open connections keep the engine they have.
 *
 * <p>The files are compared by content, not by modification time: a Kubernetes secret update swaps
 * a {@code ..data} symlink and the files' own times may not move. A change is loaded once the
 * files read the same on two polls in a row, because certbot replaces the certificate and the key
 * one after the other. Polling, reading and the test handshake run on this class's own thread,
 * never on an event loop. A pair that does not load is logged at ERROR once, and the old pair
 * keeps serving.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final TlsConfig config;
    private final SslProvider provider;
    private final String description;
    private final ScheduledExecutorService reloader;
    private volatile TlsContexts.Loaded current;
    private String servedDigest;
    private String pendingDigest;
    private String rejectedDigest;
    private String lastReadProblem;

    private ServerTls(TlsConfig config, SslProvider provider, String description) {
        this.config = config;
        this.provider = provider;
        this.description = description;
        Snapshot files = read(config);
        this.current = TlsContexts.load(files.certificate, files.key, provider);
        this.servedDigest = files.digest;
        this.reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rendezvous-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.reloadInterval().toMillis();
        reloader.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        log.info("tls: serving {} ({})", current.summary(), description);
    }

    /** Loads the pair and starts watching its files; throws {@link IllegalArgumentException} when it does not load. */
    public static ServerTls start(TlsConfig config) {
        if (OpenSsl.isAvailable()) {
            return new ServerTls(config, SslProvider.OPENSSL, "openssl");
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return new ServerTls(config, SslProvider.JDK, "jdk (" + (cause == null ? "openssl unavailable" : cause) + ")");
    }

    /** What {@code check-config} does: load the pair once, with the provider the node would use. */
    public static void check(TlsConfig config) {
        Snapshot files = read(config);
        TlsContexts.load(files.certificate, files.key, OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /** {@code openssl}, or {@code jdk (why not openssl)}: for the start line. */
    public String description() {
        return description;
    }

    SslContext context() {
        return current.context();
    }

    private void poll() {
        try {
            Snapshot files;
            try {
                files = read(config);
                lastReadProblem = null;
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().equals(lastReadProblem)) {
                    log.error("tls: {}; still serving {}", e.getMessage(), current.summary());
                    lastReadProblem = e.getMessage();
                }
                return;
            }
            if (files.digest.equals(servedDigest)) {
                pendingDigest = null;
            } else if (files.digest.equals(rejectedDigest)) {
                pendingDigest = null;
            } else if (!files.digest.equals(pendingDigest)) {
                pendingDigest = files.digest;
            } else {
                pendingDigest = null;
                reload(files);
            }
        } catch (Exception e) {
            // A scheduled task that throws is never run again: the node would stop reloading silently.
            log.error("tls: reload check failed", e);
        }
    }

    private void reload(Snapshot files) {
        try {
            TlsContexts.Loaded next = TlsContexts.load(files.certificate, files.key, provider);
            current = next;
            servedDigest = files.digest;
            log.info("tls: reloaded, new handshakes get {}", next.summary());
        } catch (IllegalArgumentException e) {
            rejectedDigest = files.digest;
            log.error("{}; the new files are not served, still serving {}", e.getMessage(), current.summary());
        }
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }

    private static Snapshot read(TlsConfig config) {
        byte[] certificate = readFile(config.certificate(), "--tls-cert");
        byte[] key = readFile(config.privateKey(), "--tls-key");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(certificate);
            sha.update((byte) 0);
            sha.update(key);
            return new Snapshot(certificate, key, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static byte[] readFile(Path file, String flag) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("tls: cannot read " + flag + " " + file + ": " + e);
        }
    }

    /** The two files' bytes as read together, and one digest of both. */
    private record Snapshot(byte[] certificate, byte[] key, String digest) {
    }
}
