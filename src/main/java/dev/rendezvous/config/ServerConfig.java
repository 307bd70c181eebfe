package dev.rendezvous.config;

import dev.rendezvous.protocol.IceServersJson;
import dev.rendezvous.signaling.FromCheck;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a node needs to start, immutable and validated in one place. Defaults are the
 * documented production values; tests shorten the timers through {@link #builder()}.
 *
 * @param ioThreads   event-loop threads; 0 means one per available core
 * @param iceServers  JSON array of RTCIceServer objects handed to the demo page
 * @param redis       Redis URI for cluster mode; null runs a single node in memory
 * @param nodeId      this node's name in the cluster; null picks a random one
 * @param leaseTtl    how long a cluster ID lease outlives a node that stopped renewing it
 */
public record ServerConfig(
        String host,
        int port,
        int ioThreads,
        FromCheck fromCheck,
        int maxMessageBytes,
        int maxOutboundBytes,
        Duration pingInterval,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration shutdownGrace,
        String iceServers,
        URI redis,
        String nodeId,
        Duration leaseTtl) {

    public static final int DEFAULT_PORT = 8080;

    /** What a cluster node ID may contain: it is part of a Redis channel name and of every lease value. */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(fromCheck, "fromCheck");
        Objects.requireNonNull(iceServers, "iceServers");
        checkRange("port", port, 0, 65535);
        checkRange("ioThreads", ioThreads, 0, 1024);
        checkRange("maxMessageBytes", maxMessageBytes, 16, 16 * 1024 * 1024);
        checkRange("maxOutboundBytes", maxOutboundBytes, 1024, Integer.MAX_VALUE);
        checkPositive("pingInterval", pingInterval);
        checkPositive("idleTimeout", idleTimeout);
        checkPositive("handshakeTimeout", handshakeTimeout);
        checkPositive("shutdownGrace", shutdownGrace);
        checkPositive("leaseTtl", leaseTtl);
        if (leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("lease ttl must be at least 300ms, got " + leaseTtl);
        }
        if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(
                    "node id must be 1-64 characters of letters, digits, '.', '_', ':' or '-', got: " + nodeId);
        }
        if (redis != null && (redis.getHost() == null || redis.getHost().isEmpty())) {
            throw new IllegalArgumentException("redis must name a host, as in redis://host:6379, got: " + redis);
        }
        if (redis != null && !"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException("redis must be a redis:// or rediss:// URI, got: " + redis);
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("idle timeout (" + idleTimeout
                    + ") must be longer than the ping interval (" + pingInterval + ")");
        }
        // The whole JSON check, not a glance at the brackets: a typo must fail the command line
        // (exit 2), not the start (exit 1) or every browser's call.
        IceServersJson.requireArray(iceServers);
    }

    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .host(host).port(port).ioThreads(ioThreads).fromCheck(fromCheck)
                .maxMessageBytes(maxMessageBytes).maxOutboundBytes(maxOutboundBytes)
                .pingInterval(pingInterval).idleTimeout(idleTimeout)
                .handshakeTimeout(handshakeTimeout).shutdownGrace(shutdownGrace)
                .iceServers(iceServers).redis(redis).nodeId(nodeId).leaseTtl(leaseTtl);
    }

    public boolean clustered() {
        return redis != null;
    }

    private static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    private static void checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Mutable only while building; starts from the documented defaults. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int ioThreads = 0;
        private FromCheck fromCheck = FromCheck.REJECT;
        private int maxMessageBytes = 65536;
        private int maxOutboundBytes = 1024 * 1024;
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private String iceServers = "[]";
        private URI redis;
        private String nodeId;
        private Duration leaseTtl = Duration.ofSeconds(15);

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder fromCheck(FromCheck v) { fromCheck = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxOutboundBytes(int v) { maxOutboundBytes = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder iceServers(String v) { iceServers = v; return this; }
        public Builder redis(URI v) { redis = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder leaseTtl(Duration v) { leaseTtl = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, ioThreads, fromCheck, maxMessageBytes, maxOutboundBytes,
                    pingInterval, idleTimeout, handshakeTimeout, shutdownGrace, iceServers, redis, nodeId,
                    leaseTtl);
        }
    }
}
