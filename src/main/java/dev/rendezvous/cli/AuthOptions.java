package dev.rendezvous.cli;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.config.SecretFile;
import dev.rendezvous.config.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Signed grants: any key option turns them on. */
final class AuthOptions implements Options {

    @Option(names = "--auth-secret", split = ",", scope = ScopeType.INHERIT,
            description = "HS256 secrets (comma list, each at least 32 bytes): all are accepted, "
                    + "the first mints. Turns grants on.")
    List<String> secrets;

    @Option(names = "--auth-secret-file", scope = ScopeType.INHERIT,
            description = "A file with one HS256 secret per line, accepted like --auth-secret (after those).")
    Path secretFile;

    @Option(names = "--auth-public-key", scope = ScopeType.INHERIT,
            description = "A PEM public key (RSA: RS256, EC P-256: ES256) that verifies grants. Turns grants on.")
    Path publicKey;

    @Option(names = "--auth-jwks-url", scope = ScopeType.INHERIT,
            description = "An identity provider's JWKS URL, cached and refreshed. Turns grants on.")
    URI jwksUrl;

    @Option(names = "--auth-issuer", scope = ScopeType.INHERIT,
            description = "The iss a grant must carry (default: not checked).")
    String issuer;

    @Option(names = "--auth-audience", scope = ScopeType.INHERIT,
            description = "The aud a grant must carry (default: not checked).")
    String audience;

    @Option(names = "--auth-id-claim", defaultValue = "sub", scope = ScopeType.INHERIT,
            description = "The grant claim that must equal the requested ID.")
    String idClaim;

    @Option(names = "--auth-clock-skew", defaultValue = "30s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT, description = "Leeway for exp and nbf; at most 60s.")
    Duration clockSkew;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        List<String> all = new ArrayList<>(secrets == null ? List.of() : secrets);
        if (secretFile != null) {
            all.addAll(SecretFile.lines(secretFile, "auth secret"));
        }
        config.auth(new AuthConfig(all, publicKey, jwksUrl, issuer, audience, idClaim, clockSkew));
    }
}
