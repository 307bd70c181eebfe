package dev.rendezvous.cluster;

import dev.rendezvous.config.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the Redis relay needs, validated once.
 *
 * @param commandTimeout how long one Redis command may take before the caller gets an error;
 *                       short, so that a hung Redis turns into error frames instead of queues
 * @param routeCacheSize how many remote ID → node routes each node remembers
 */
public record ClusterSettings(URI redis, NodeId node, Duration leaseTtl, Duration commandTimeout, int routeCacheSize) {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_ROUTE_CACHE_SIZE = 100_000;

    public ClusterSettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(node, "node");
        if (leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("lease ttl must be at least 300ms, got " + leaseTtl);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive, got " + commandTimeout);
        }
        if (routeCacheSize < 1) {
            throw new IllegalArgumentException("route cache size must be positive, got " + routeCacheSize);
        }
        if (!"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException("--redis must be a redis:// or rediss:// URI, got " + redis.getScheme());
        }
    }

    public static ClusterSettings from(ServerConfig config) {
        return new ClusterSettings(config.redis(), NodeId.orRandom(config.nodeId()), config.leaseTtl(),
                DEFAULT_COMMAND_TIMEOUT, DEFAULT_ROUTE_CACHE_SIZE);
    }

    /** Renewal runs three times per TTL, so one lost round never lets a live lease expire. */
    public Duration renewInterval() {
        return leaseTtl.dividedBy(3);
    }

    /** Where to connect, without credentials, for logs. */
    public String redisAddress() {
        return redis.getHost() + ":" + (redis.getPort() < 0 ? 6379 : redis.getPort())
                + (redis.getPath() == null || redis.getPath().isEmpty() ? "" : redis.getPath());
    }
}
