package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.signaling.FromCheck;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The listener, the relay's limits and timers. */
final class ServerOptions implements Options {

    @Option(names = "--host", defaultValue = "0.0.0.0", scope = ScopeType.INHERIT,
            description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "8080", scope = ScopeType.INHERIT,
            description = "TCP port; 0 picks a free one (the start line says which).")
    int port;

    @Option(names = "--io-threads", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "Event-loop threads; 0 = one per core.")
    int ioThreads;

    @Option(names = "--from-check", defaultValue = "reject", converter = FromCheckConverter.class,
            scope = ScopeType.INHERIT,
            description = "reject: drop messages whose 'from' is not the sender's ID and answer from-mismatch; "
                    + "off: forward them.")
    FromCheck fromCheck;

    @Option(names = "--max-message-bytes", defaultValue = "65536", scope = ScopeType.INHERIT,
            description = "Largest text message accepted; larger closes with 1009.")
    int maxMessageBytes;

    @Option(names = "--max-outbound-bytes", defaultValue = "1048576", scope = ScopeType.INHERIT,
            description = "Bytes queued for one socket before it is closed with 1013 as too slow.")
    int maxOutboundBytes;

    @Option(names = "--ping-interval", defaultValue = "20s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT, description = "How often the server pings each socket.")
    Duration pingInterval;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "Close a socket (4408) after this long without any frame or pong.")
    Duration idleTimeout;

    @Option(names = "--handshake-timeout", defaultValue = "10s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "Close connections that are still plain HTTP after this long.")
    Duration handshakeTimeout;

    @Option(names = "--shutdown-grace", defaultValue = "10s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "On SIGTERM, how long to wait for sockets to close before exiting.")
    Duration shutdownGrace;

    @Option(names = "--ice-servers", defaultValue = "[]", scope = ScopeType.INHERIT,
            description = "JSON array of RTCIceServer objects for the pages (/config.json, /ice-servers).")
    String iceServers;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        config.host(host).port(port).ioThreads(ioThreads).fromCheck(fromCheck)
                .maxMessageBytes(maxMessageBytes).maxOutboundBytes(maxOutboundBytes)
                .pingInterval(pingInterval).idleTimeout(idleTimeout)
                .handshakeTimeout(handshakeTimeout).shutdownGrace(shutdownGrace)
                .iceServers(iceServers);
    }
}
