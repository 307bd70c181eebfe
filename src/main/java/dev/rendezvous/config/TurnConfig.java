package dev.rendezvous.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Short-lived TURN credentials in coturn's {@code use-auth-secret} (TURN REST API) convention,
 * served at {@code /ice-servers}.
 *
 * @param secret the shared secret coturn has as {@code static-auth-secret}; null: no TURN
 * @param uris   {@code turn:} and {@code turns:} URIs handed out with the credentials
 * @param ttl    how long minted credentials are valid
 */
public record TurnConfig(String secret, List<URI> uris, Duration ttl) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(4);

    public static final TurnConfig NONE = new TurnConfig(null, List.of(), DEFAULT_TTL);

    public TurnConfig {
        uris = List.copyOf(uris);
        java.util.Objects.requireNonNull(ttl, "ttl");
        if (ttl.toSeconds() < 60 || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("turn ttl must be between 1m and 7d, got " + ttl);
        }
        for (URI uri : uris) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("turn") && !scheme.equals("turns")) {
                throw new IllegalArgumentException("turn uris must be turn: or turns: URIs, got: " + uri);
            }
        }
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("turn secret must not be empty");
        }
        if (secret != null && uris.isEmpty()) {
            throw new IllegalArgumentException("a turn secret needs --turn-uris");
        }
        if (secret == null && !uris.isEmpty()) {
            throw new IllegalArgumentException("--turn-uris needs --turn-secret or --turn-secret-file");
        }
    }

    public boolean enabled() {
        return secret != null;
    }

    @Override
    public String toString() {
        return "TurnConfig[secret=" + (secret == null ? "none" : "****") + ", uris=" + uris + ", ttl=" + ttl + "]";
    }
}
