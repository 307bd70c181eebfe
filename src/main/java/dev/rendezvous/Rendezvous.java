package dev.rendezvous;

import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.ConnectionBudget;
import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.JwksSettings;
import dev.rendezvous.admission.OriginPolicy;
import dev.rendezvous.admission.Refusals;
import dev.rendezvous.admission.TokenMinter;
import dev.rendezvous.cli.Actions;
import dev.rendezvous.cli.RendezvousCommand;
import dev.rendezvous.cli.TokenRequest;
import dev.rendezvous.cluster.ClusterEvents;
import dev.rendezvous.cluster.ClusterSettings;
import dev.rendezvous.cluster.RedisRelay;
import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.metrics.AdminConsole;
import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.metrics.PrometheusMetrics;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Mailbox;
import dev.rendezvous.signaling.MailboxLimits;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.transport.DemoPage;
import dev.rendezvous.transport.GrantCheck;
import dev.rendezvous.transport.HttpEndpoint;
import dev.rendezvous.transport.IceServersEndpoint;
import dev.rendezvous.transport.RendezvousServer;
import dev.rendezvous.transport.ServerTls;
import dev.rendezvous.transport.UpgradeAdmission;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
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
    private final ClaimAdmission admission;
    private final PrometheusMetrics meters;
    private final AdminConsole console;

    private Rendezvous(ServerConfig config, Relay relay, RendezvousServer server, ClaimAdmission admission,
            PrometheusMetrics meters, AdminConsole console) {
        this.config = config;
        this.relay = relay;
        this.server = server;
        this.admission = admission;
        this.meters = meters;
        this.console = console;
    }

    public static Rendezvous start(ServerConfig config) throws InterruptedException {
        return start(config, JwksSettings.DEFAULT);
    }

    /** {@link #start(ServerConfig)} with another JWKS cache schedule (tests shorten it). */
    public static Rendezvous start(ServerConfig config, JwksSettings jwks) throws InterruptedException {
        ClusterSettings cluster = config.clustered() ? ClusterSettings.from(config) : null;
        String node = cluster != null ? cluster.node().value() : config.nodeId() != null ? config.nodeId() : "local";
        String mode = config.clustered() ? "cluster" : "single-node";
        long openFiles = OpenFileLimit.current();
        ConnectionBudget budget = ConnectionBudget.resolve(config.access().limits().maxConnections(), openFiles);
        PrometheusMetrics meters = config.admin().metrics()
                ? new PrometheusMetrics(Version.current(), node, mode, budget.max())
                : null;
        Refusals refusals = meters == null ? Refusals.NONE : meters.refusals();
        ClaimAdmission admission = ClaimAdmission.from(config.auth(), jwks, refusals);
        Relay relay;
        try {
            relay = relayFor(cluster, mailboxLimits(config.mailbox()), meters);
        } catch (RuntimeException e) {
            admission.close();
            closeMeters(meters);
            throw e;
        }
        AdminConsole console = new AdminConsole(new AdminConsole.Identity(Version.current(), node, mode), meters,
                relay::localSessionCount, relay instanceof RedisRelay redis ? redis::nodesSeen : null);
        UpgradeAdmission upgrades = new UpgradeAdmission(
                new ConnectionGate(config.access(), budget.max(), refusals), admission);
        RendezvousServer server;
        try {
            server = RendezvousServer.start(config, relay, endpointsFor(config, admission), upgrades,
                    meters == null ? Metrics.OFF : meters, console);
        } catch (InterruptedException | RuntimeException e) {
            relay.close();
            console.close();
            admission.close();
            closeMeters(meters);
            throw e;
        }
        log.info("rendezvous {} listening on {} transport={} tls={} mode={} node={} from-check={} "
                        + "max-message-bytes={} max-outbound-bytes={} ping-interval={} idle-timeout={} "
                        + "max-connections={} metrics={} admin={}",
                Version.current(), server.address(), server.transportName(), server.tlsName(), mode, node,
                config.fromCheck().name().toLowerCase(java.util.Locale.ROOT), config.maxMessageBytes(),
                config.maxOutboundBytes(), config.pingInterval(), config.idleTimeout(), budget,
                meters == null ? "off" : "on", server.adminAddress() == null ? "public-port" : server.adminAddress());
        String warning = budget.warning(openFiles);
        if (warning != null) {
            log.warn(warning);
        }
        if (admission.grantsRequired()) {
            log.info("grants required: id claim {}{}{}", config.auth().idClaim(),
                    config.auth().issuer() == null ? "" : ", issuer " + config.auth().issuer(),
                    config.auth().audience() == null ? "" : ", audience " + config.auth().audience());
        }
        return new Rendezvous(config, relay, server, admission, meters, console);
    }

    /**
     * The one place where single-node and cluster mode are chosen: with --redis the Redis relay
     * wraps the local one, so both modes run the same code path on a node. With metrics on, the
     * cluster reports to its meters and Lettuce times every Redis command with its own recorder.
     */
    private static Relay relayFor(ClusterSettings cluster, MailboxLimits mailbox, PrometheusMetrics meters) {
        if (cluster == null) {
            LocalRelay relay = new LocalRelay(mailbox);
            watchMailbox(relay, meters);
            return relay;
        }
        if (meters == null) {
            return RedisRelay.connect(cluster, new LocalRelay(mailbox));
        }
        ClusterEvents events = meters.cluster();
        CommandLatencyRecorder latency = new MicrometerCommandLatencyRecorder(meters.registry(),
                MicrometerOptions.builder().enable().histogram(false).localDistinction(false).build());
        RedisRelay relay = RedisRelay.connect(cluster, new LocalRelay(mailbox), events, latency);
        meters.watchRedis(relay::ready);
        watchMailbox(relay, meters);
        return relay;
    }

    private static MailboxLimits mailboxLimits(MailboxConfig config) {
        return new MailboxLimits(config.ttl(), config.maxMessages(), config.maxBytes(), config.totalBytes());
    }

    private static void watchMailbox(Relay relay, PrometheusMetrics meters) {
        Mailbox mailbox = relay.mailbox();
        if (meters != null && mailbox != null) {
            meters.watchMailbox(mailbox::bytesHeld, mailbox::messagesHeld);
        }
    }

    private static void closeMeters(PrometheusMetrics meters) {
        if (meters != null) {
            meters.close();
        }
    }

    /** Plain-HTTP paths beside /websocket and /healthz. */
    private static Map<String, HttpEndpoint> endpointsFor(ServerConfig config, ClaimAdmission admission) {
        Map<String, HttpEndpoint> endpoints = new HashMap<>();
        endpoints.putAll(DemoPage.endpoints(config.iceServers(), config.turn().enabled()));
        // The same rules as for a socket: --allowed-origins for CORS, and the socket's grant.
        OriginPolicy origins = new OriginPolicy(config.access().allowedOrigins());
        GrantCheck grants = (request, rawQuery, id) -> admission.admitsRequest(new PeerId(id), rawQuery,
                request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
        endpoints.put(IceServersEndpoint.PATH, new IceServersEndpoint(config.iceServers(), config.turn(),
                origins::allows, grants, Clock.systemUTC()));
        return endpoints;
    }

    public RendezvousServer server() {
        return server;
    }

    public Relay relay() {
        return relay;
    }

    /**
     * Where admission reports its refusals: counted by cause with metrics on. Hand it to every
     * admission check that takes one.
     */
    public Refusals refusals() {
        return meters == null ? Refusals.NONE : meters.refusals();
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
        console.close();
        admission.close();
        closeMeters(meters);
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
            NodeLogging.apply(config.log());
            // A key file that does not load is a bad setting: exit 2 with its one line, as check-config says.
            check(config);
            return runUntilSignalled(config);
        }

        @Override
        public void check(ServerConfig config) {
            ClaimAdmission.check(config.auth());
            if (config.tls().enabled()) {
                ServerTls.check(config.tls());
            }
        }

        @Override
        public void mintToken(ServerConfig config, TokenRequest request, PrintWriter out) {
            out.println(TokenMinter.mint(config.auth(), request.id(), request.ttl(), request.peers(),
                    java.time.Instant.now()));
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
