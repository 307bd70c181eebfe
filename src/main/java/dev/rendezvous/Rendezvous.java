package dev.rendezvous;

import dev.rendezvous.cli.Actions;
import dev.rendezvous.cli.RendezvousCommand;
import dev.rendezvous.cli.TokenRequest;
import dev.rendezvous.cluster.ClusterSettings;
import dev.rendezvous.cluster.RedisRelay;
import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.transport.DemoPage;
import dev.rendezvous.transport.GrantCheck;
import dev.rendezvous.transport.HttpEndpoint;
import dev.rendezvous.transport.IceServersEndpoint;
import dev.rendezvous.transport.OriginCheck;
import dev.rendezvous.transport.RendezvousServer;
import dev.rendezvous.transport.ServerTls;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The composition root: reads the configuration, picks the relay (single node in memory, or a
 * cluster through Redis), starts the server and stops it on SIGTERM or SIGINT.
 */
public final class Rendezvous implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Rendezvous.class);

    private final ServerConfig config;
    private final Relay relay;
    private final RendezvousServer server;

    private Rendezvous(ServerConfig config, Relay relay, RendezvousServer server) {
        this.config = config;
        this.relay = relay;
        this.server = server;
    }

    public static Rendezvous start(ServerConfig config) throws InterruptedException {
        Relay relay = relayFor(config);
        RendezvousServer server;
        try {
            server = RendezvousServer.start(config, relay, endpointsFor(config));
        } catch (InterruptedException | RuntimeException e) {
            relay.close();
            throw e;
        }
        log.info("rendezvous {} listening on {} transport={} tls={} mode={} from-check={} max-message-bytes={} "
                        + "max-outbound-bytes={} ping-interval={} idle-timeout={}",
                Version.current(), server.address(), server.transportName(), server.tlsName(),
                config.clustered() ? "cluster" : "single-node",
                config.fromCheck().name().toLowerCase(java.util.Locale.ROOT), config.maxMessageBytes(),
                config.maxOutboundBytes(), config.pingInterval(), config.idleTimeout());
        return new Rendezvous(config, relay, server);
    }

    /**
     * The one place where single-node and cluster mode are chosen: with --redis the Redis relay
     * wraps the local one, so both modes run the same code path on a node.
     */
    private static Relay relayFor(ServerConfig config) {
        if (!config.clustered()) {
            return new LocalRelay();
        }
        return RedisRelay.connect(ClusterSettings.from(config), new LocalRelay());
    }

    /** Plain-HTTP paths beside /websocket and /healthz. */
    private static Map<String, HttpEndpoint> endpointsFor(ServerConfig config) {
        Map<String, HttpEndpoint> endpoints = new HashMap<>();
        endpoints.putAll(DemoPage.endpoints(config.iceServers(), config.turn().enabled()));
        // The two checks are the seams of admission: origins follow --allowed-origins, and grants
        // are not checked until signed grants exist.
        endpoints.put(IceServersEndpoint.PATH, new IceServersEndpoint(config.iceServers(), config.turn(),
                OriginCheck.of(config.access()), GrantCheck.OFF, Clock.systemUTC()));
        return endpoints;
    }

    public RendezvousServer server() {
        return server;
    }

    public Relay relay() {
        return relay;
    }

    public int port() {
        return server.port();
    }

    /**
     * Leaves the cluster first (its IDs are released at once, so clients reconnecting elsewhere
     * find them free), then drains the sockets with 1001.
     */
    public void shutdown(Duration grace) {
        long start = System.nanoTime();
        server.beginDrain();
        relay.close();
        Duration left = grace.minusNanos(System.nanoTime() - start);
        server.shutdown(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(RendezvousCommand.run(args, System.getenv(), new NodeActions(), out, err));
    }

    /** What the command line's commands do. */
    private static final class NodeActions implements Actions {

        @Override
        public int serve(ServerConfig config) {
            return runUntilSignalled(config);
        }

        @Override
        public void check(ServerConfig config) {
            if (config.tls().enabled()) {
                ServerTls.check(config.tls());
            }
        }

        @Override
        public void mintToken(ServerConfig config, TokenRequest request, PrintWriter out) {
            throw new IllegalArgumentException("minting grants is not built yet");
        }
    }

    /**
     * Serves until SIGTERM or SIGINT, then drains and returns 0. The signals are handled directly
     * rather than through a shutdown hook so that a requested stop exits 0, not 143.
     */
    private static int runUntilSignalled(ServerConfig config) {
        // Handlers first: a SIGTERM that arrives while the node starts (or right after its start
        // line, when a supervisor may already act on it) must still drain instead of killing the JVM.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Rendezvous node;
        try {
            node = start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.toString());
            return 1;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("shutdown requested: draining for up to {}", config.shutdownGrace());
        node.close();
        return 0;
    }
}
