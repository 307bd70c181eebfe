package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.signaling.FromCheck;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line: flags (each also readable from a {@code RENDEZVOUS_*} environment variable)
 * into a {@link ServerConfig}. No logic beyond that; {@code run} is handed the result.
 */
@Command(name = "rendezvous", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "WebRTC signaling relay: binds WebSockets at /websocket/?finger=<ID> to IDs and "
                + "forwards JSON messages to the socket named in 'to'.")
public final class RendezvousCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:RENDEZVOUS_HOST:-0.0.0.0}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RENDEZVOUS_PORT:-8080}",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "${env:RENDEZVOUS_IO_THREADS:-0}",
            description = "Event-loop threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--from-check", defaultValue = "${env:RENDEZVOUS_FROM_CHECK:-reject}",
            converter = FromCheckConverter.class,
            description = "reject: drop messages whose 'from' is not the sender's ID and answer "
                    + "from-mismatch; off: forward them (default: ${DEFAULT-VALUE}).")
    FromCheck fromCheck;

    @Option(names = "--max-message-bytes", defaultValue = "${env:RENDEZVOUS_MAX_MESSAGE_BYTES:-65536}",
            description = "Largest text message accepted; larger closes with 1009 (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--max-outbound-bytes", defaultValue = "${env:RENDEZVOUS_MAX_OUTBOUND_BYTES:-1048576}",
            description = "Bytes queued for one socket before it is closed with 1013 as too slow "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxOutboundBytes;

    @Option(names = "--ping-interval", defaultValue = "${env:RENDEZVOUS_PING_INTERVAL:-20s}",
            converter = DurationConverter.class,
            description = "How often the server pings each socket (default: ${DEFAULT-VALUE}).")
    Duration pingInterval;

    @Option(names = "--idle-timeout", defaultValue = "${env:RENDEZVOUS_IDLE_TIMEOUT:-60s}",
            converter = DurationConverter.class,
            description = "Close a socket (4408) after this long without any frame or pong "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--handshake-timeout", defaultValue = "${env:RENDEZVOUS_HANDSHAKE_TIMEOUT:-10s}",
            converter = DurationConverter.class,
            description = "Close connections that have not completed an HTTP request or WebSocket "
                    + "upgrade in this time (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--shutdown-grace", defaultValue = "${env:RENDEZVOUS_SHUTDOWN_GRACE:-10s}",
            converter = DurationConverter.class,
            description = "On SIGTERM, how long to wait for sockets to close before exiting "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--ice-servers", defaultValue = "${env:RENDEZVOUS_ICE_SERVERS:-[]}",
            description = "JSON array of RTCIceServer objects for the demo page (default: ${DEFAULT-VALUE}).")
    String iceServers;

    @Option(names = "--redis", defaultValue = "${env:RENDEZVOUS_REDIS}",
            description = "redis://host:port[/db]: join a cluster sharing one ID space. "
                    + "Without it the node runs alone, in memory.")
    URI redis;

    @Option(names = "--node-id", defaultValue = "${env:RENDEZVOUS_NODE_ID}",
            description = "This node's name in a cluster (default: random).")
    String nodeId;

    @Option(names = "--lease-ttl", defaultValue = "${env:RENDEZVOUS_LEASE_TTL:-15s}",
            converter = DurationConverter.class,
            description = "Cluster mode: how long a node's ID leases outlive it if it dies "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Spec
    CommandSpec spec;

    private final Function<ServerConfig, Integer> run;

    /**
     * The command line that {@code main} executes: a bad flag prints one line and a hint, not the
     * whole usage text, which would bury the reason in a supervisor's log.
     */
    public static CommandLine commandLine(Function<ServerConfig, Integer> run) {
        CommandLine cli = new CommandLine(new RendezvousCommand(run));
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("rendezvous: " + e.getMessage() + " (see --help)");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    public RendezvousCommand(Function<ServerConfig, Integer> run) {
        this.run = run;
    }

    public ServerConfig toConfig() {
        return ServerConfig.builder()
                .host(host).port(port).ioThreads(ioThreads).fromCheck(fromCheck)
                .maxMessageBytes(maxMessageBytes).maxOutboundBytes(maxOutboundBytes)
                .pingInterval(pingInterval).idleTimeout(idleTimeout)
                .handshakeTimeout(handshakeTimeout).shutdownGrace(shutdownGrace)
                .iceServers(iceServers).redis(redis).nodeId(nodeId).leaseTtl(leaseTtl)
                .build();
    }

    @Override
    public Integer call() {
        ServerConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return run.apply(config);
    }
}
