package dev.rendezvous.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Signed grants (JWT): which keys verify them and which claims are checked. Grants are required as
 * soon as any key is configured; without one the node admits every socket, as the seed contract does.
 *
 * @param secrets    HS256 secrets, all accepted; the first one mints ({@code token} subcommand).
 *                   Those of {@code --auth-secret} and of {@code --auth-secret-file} together.
 * @param publicKey  a PEM public key (RSA for RS256, EC P-256 for ES256), or null
 * @param jwksUrl    an identity provider's JWKS, fetched and cached, or null
 * @param issuer     the required {@code iss}, or null for any
 * @param audience   the required {@code aud}, or null for any
 * @param idClaim    the claim that must equal the requested ID
 * @param clockSkew  leeway for {@code exp} and {@code nbf}
 */
public record AuthConfig(
        List<String> secrets,
        Path publicKey,
        URI jwksUrl,
        String issuer,
        String audience,
        String idClaim,
        Duration clockSkew) {

    /** RFC 7518 3.2: an HS256 key must be at least as long as the hash output. */
    public static final int MIN_SECRET_BYTES = 32;

    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    public static final AuthConfig NONE =
            new AuthConfig(List.of(), null, null, null, null, "sub", Duration.ofSeconds(30));

    public AuthConfig {
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(idClaim, "idClaim");
        Objects.requireNonNull(clockSkew, "clockSkew");
        for (int i = 0; i < secrets.size(); i++) {
            int bytes = secrets.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("auth secret " + (i + 1) + " is " + bytes
                        + " bytes; HS256 needs at least " + MIN_SECRET_BYTES + " (RFC 7518 3.2)");
            }
        }
        if (idClaim.isBlank()) {
            throw new IllegalArgumentException("auth id claim must not be empty");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("auth clock skew must be between 0s and 60s, got " + clockSkew);
        }
        if (jwksUrl != null && !"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme())) {
            throw new IllegalArgumentException("auth jwks url must be http:// or https://, got: " + jwksUrl);
        }
    }

    /** Whether sockets need a grant: true when any key is configured. */
    public boolean enabled() {
        return !secrets.isEmpty() || publicKey != null || jwksUrl != null;
    }

    public AuthConfig withSecrets(List<String> newSecrets) {
        return new AuthConfig(newSecrets, publicKey, jwksUrl, issuer, audience, idClaim, clockSkew);
    }

    @Override
    public String toString() {
        return "AuthConfig[secrets=" + secrets.size() + ", publicKey=" + publicKey + ", jwksUrl=" + jwksUrl
                + ", issuer=" + issuer + ", audience=" + audience + ", idClaim=" + idClaim
                + ", clockSkew=" + clockSkew + "]";
    }
}
