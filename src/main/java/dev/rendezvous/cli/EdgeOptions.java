package dev.rendezvous.cli;

import dev.rendezvous.config.SecretFile;
import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.config.TlsConfig;
import dev.rendezvous.config.TurnConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** TLS on the node's port and TURN credentials. */
final class EdgeOptions implements Options {

    @Option(names = "--tls-cert", scope = ScopeType.INHERIT,
            description = "PEM certificate chain (leaf first): with --tls-key the port serves only https and wss. "
                    + "Reloaded when the file changes.")
    Path tlsCert;

    @Option(names = "--tls-key", scope = ScopeType.INHERIT,
            description = "PEM private key of --tls-cert, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path tlsKey;

    @Option(names = "--turn-secret", scope = ScopeType.INHERIT,
            description = "coturn's static-auth-secret: /ice-servers mints TURN credentials with it.")
    String turnSecret;

    @Option(names = "--turn-secret-file", scope = ScopeType.INHERIT,
            description = "A file holding --turn-secret (a trailing newline is ignored).")
    Path turnSecretFile;

    @Option(names = "--turn-uris", split = ",", scope = ScopeType.INHERIT,
            description = "Comma list of turn: and turns: URIs handed out with the credentials.")
    List<URI> turnUris;

    @Option(names = "--turn-ttl", defaultValue = "4h", converter = DurationConverter.class,
            scope = ScopeType.INHERIT, description = "How long minted TURN credentials are valid.")
    Duration turnTtl;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        config.tls(new TlsConfig(tlsCert, tlsKey));
        if (turnSecret != null && turnSecretFile != null) {
            throw new IllegalArgumentException("give --turn-secret or --turn-secret-file, not both");
        }
        String secret = turnSecretFile != null ? SecretFile.single(turnSecretFile, "turn secret") : turnSecret;
        config.turn(new TurnConfig(secret, turnUris == null ? List.of() : turnUris, turnTtl));
    }
}
