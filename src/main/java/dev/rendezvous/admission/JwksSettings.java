package dev.rendezvous.admission;

import java.time.Duration;

/**
 * How {@code --auth-jwks-url} is fetched and cached (Nimbus's {@code JWKSourceBuilder}). The
 * defaults are the documented ones; tests shorten them.
 *
 * @param cacheTtl        how long a fetched key set is used before it is fetched again
 * @param refreshAhead    how long before the cache expires a background fetch starts, so that
 *                        no grant waits for the provider while it answers
 * @param refreshTimeout  how long a grant check waits for a fetch another check started
 * @param outageTtl       how long the last key set is still used while the provider cannot be reached
 * @param minFetchInterval at most two fetches in this interval, however many unknown {@code kid}s arrive
 * @param httpTimeout     connect and read timeout of one fetch
 * @param maxBytes        largest key set accepted
 * @param threads         threads that verify grants (and so wait for fetches) off the event loops
 * @param queue           grant checks waiting for those threads before new ones are refused with 1013
 */
public record JwksSettings(Duration cacheTtl, Duration refreshAhead, Duration refreshTimeout, Duration outageTtl,
        Duration minFetchInterval, Duration httpTimeout, int maxBytes, int threads, int queue) {

    public static final JwksSettings DEFAULT = new JwksSettings(Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofSeconds(15), Duration.ofHours(24), Duration.ofSeconds(30), Duration.ofSeconds(2), 256 * 1024,
            2, 1024);

    public JwksSettings {
        if (minFetchInterval.compareTo(cacheTtl) >= 0) {
            throw new IllegalArgumentException("the JWKS fetch interval must be shorter than its cache ttl");
        }
        if (refreshAhead.plus(refreshTimeout).compareTo(cacheTtl) >= 0) {
            throw new IllegalArgumentException("JWKS refresh-ahead plus refresh timeout must be shorter than its cache ttl");
        }
        if (threads < 1 || queue < 1 || maxBytes < 1024) {
            throw new IllegalArgumentException("JWKS threads, queue and size must be positive");
        }
    }
}
