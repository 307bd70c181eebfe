package dev.rendezvous.config;

import java.nio.file.Path;

/**
 * TLS on the node's own port: with both files set the port serves only {@code https://} and
 * {@code wss://}. The files are watched and reloaded when they change.
 *
 * @param certificate PEM, the leaf first and its chain after
 * @param privateKey  PEM, PKCS#8 (PKCS#1 and SEC1 too)
 */
public record TlsConfig(Path certificate, Path privateKey) {

    public static final TlsConfig NONE = new TlsConfig(null, null);

    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("tls needs both --tls-cert and --tls-key");
        }
    }

    public boolean enabled() {
        return certificate != null;
    }
}
