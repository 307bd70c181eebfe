package dev.rendezvous.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS on the node's own port: with both files set the port serves only {@code https://} and
 * {@code wss://}. The files are read again every {@code reloadInterval} and the pair is reloaded
 * when their content changes.
 *
 * @param certificate    PEM, the leaf first and its chain after
 * @param privateKey     PEM, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
 * @param reloadInterval how often the files are compared with what is being served
 */
public record TlsConfig(Path certificate, Path privateKey, Duration reloadInterval) {

    /** Often enough to pick up a renewal within a minute, rare enough to cost nothing (two small reads). */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public static final TlsConfig NONE = new TlsConfig(null, null);

    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("tls needs both --tls-cert and --tls-key");
        }
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.toMillis() < 10) {
            throw new IllegalArgumentException("tls reload interval must be at least 10ms, got " + reloadInterval);
        }
    }

    public TlsConfig(Path certificate, Path privateKey) {
        this(certificate, privateKey, DEFAULT_RELOAD_INTERVAL);
    }

    public boolean enabled() {
        return certificate != null;
    }
}
