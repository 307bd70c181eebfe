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
 * @param access      origins, trusted proxies and abuse limits, decided before an upgrade
 * @param auth        signed grants; {@link AuthConfig#NONE} admits every socket
 * @param tls         TLS on the node's port, or {@link TlsConfig#NONE}
 * @param turn        TURN credentials for {@code /ice-servers}, or {@link TurnConfig#NONE}
 * @param admin       the admin port, {@code /metrics} and {@code /stats}
 * @param log         log format and level
 * @param mailbox     messages held for IDs about to connect, or {@link MailboxConfig#OFF}
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
        Duration leaseTtl,
        AccessConfig access,
        AuthConfig auth,
        TlsConfig tls,
        TurnConfig turn,
        AdminConfig admin,
        LogConfig log,
        MailboxConfig mailbox) {

    public static final int DEFAULT_PORT = 8080;

    /** What a cluster node ID may contain: it is part of a Redis channel name and of every lease value. */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(fromCheck, "fromCheck");
        Objects.requireNonNull(iceServers, "iceServers");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(mailbox, "mailbox");
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
                .iceServers(iceServers).redis(redis).nodeId(nodeId).leaseTtl(leaseTtl)
                .access(access).auth(auth).tls(tls).turn(turn).admin(admin).log(log).mailbox(mailbox);
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
        private AccessConfig access = AccessConfig.DEFAULT;
        private AuthConfig auth = AuthConfig.NONE;
        private TlsConfig tls = TlsConfig.NONE;
        private TurnConfig turn = TurnConfig.NONE;
        private AdminConfig admin = AdminConfig.DEFAULT;
        private LogConfig log = LogConfig.DEFAULT;
        private MailboxConfig mailbox = MailboxConfig.OFF;

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
        public Builder access(AccessConfig v) { access = v; return this; }
        public Builder limits(LimitsConfig v) { access = access.withLimits(v); return this; }
        public Builder auth(AuthConfig v) { auth = v; return this; }
        public Builder tls(TlsConfig v) { tls = v; return this; }
        public Builder turn(TurnConfig v) { turn = v; return this; }
        public Builder admin(AdminConfig v) { admin = v; return this; }
        public Builder log(LogConfig v) { log = v; return this; }
        public Builder mailbox(MailboxConfig v) { mailbox = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, ioThreads, fromCheck, maxMessageBytes, maxOutboundBytes,
                    pingInterval, idleTimeout, handshakeTimeout, shutdownGrace, iceServers, redis, nodeId,
                    leaseTtl, access, auth, tls, turn, admin, log, mailbox);
        }
    }
}
