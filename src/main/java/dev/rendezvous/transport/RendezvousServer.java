package dev.rendezvous.transport;

import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.metrics.AdminConsole;
import dev.rendezvous.metrics.Metrics;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the listening socket, owns the event loops, and stops gracefully. */
public final class RendezvousServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);

    /**
     * Where every socket's buffers come from. Netty 4.2's default (adaptive) allocator makes a new
     * NIO view and a new duplicate object for every relayed message; the pooled one recycles both,
     * so relaying allocates next to nothing. Its thread caches suit a fixed set of event loops.
     */
    public static final PooledByteBufAllocator BUFFER_ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private static final AdaptiveRecvByteBufAllocator SHARED_RECEIVE_ALLOCATOR = new AdaptiveRecvByteBufAllocator();

    private final ServerConfig config;
    private final IoTransport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final OpenSessions openSessions = new OpenSessions();
    private final LivenessMonitor liveness;
    private final Channel serverChannel;
    private final AdminServer admin;
    private final ServerTls tls;
    private volatile boolean draining;

    private RendezvousServer(ServerConfig config, Relay relay, Map<String, HttpEndpoint> extraEndpoints,
            UpgradeAdmission admission, Metrics metrics, AdminConsole console) throws InterruptedException {
        this.config = config;
        this.transport = IoTransport.best();
        this.acceptor = transport.newGroup(1, "rendezvous-accept");
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(ioThreads, "rendezvous-io");

        Router router = new Router(relay, config.fromCheck());
        WebSocketUpgrader upgrader = new WebSocketUpgrader(config.maxMessageBytes(), new EnvelopeHeaderParser(),
                new ServerFrames(), router, relay, openSessions, admission, metrics);
        Map<String, HttpEndpoint> endpoints = new HashMap<>(extraEndpoints);
        endpoints.put("/healthz", new HealthEndpoint(this::isDraining));
        endpoints.put("/readyz", new ReadinessEndpoint(this::isDraining, relay));
        Map<String, HttpEndpoint> adminEndpoints = adminEndpoints(config, console);
        if (!config.admin().separatePort()) {
            endpoints.putAll(adminEndpoints);
        }
        Map<String, HttpEndpoint> routes = Map.copyOf(endpoints);
        this.tls = config.tls().enabled() ? ServerTls.start(config.tls()) : null;

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, BUFFER_ALLOCATOR)
                // One allocator for all sockets instead of one each (32 B per idle socket): it holds
                // only its size bounds; the per-socket state lives in the handle it creates.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, SHARED_RECEIVE_ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.maxOutboundBytes() / 2, config.maxOutboundBytes()))
                .childHandler(new ServerChannelInitializer(config.handshakeTimeout().toMillis(),
                        () -> new HttpRequestHandler(upgrader, routes, this::isDraining),
                        tls == null ? null : tls::context));
        Channel bound = null;
        try {
            bound = bootstrap.bind(config.host(), config.port()).sync().channel();
            this.admin = config.admin().separatePort()
                    ? AdminServer.start(transport, config.admin().host(), config.admin().port(), adminEndpoints)
                    : null;
        } catch (InterruptedException | RuntimeException e) {
            if (bound != null) {
                bound.close().syncUninterruptibly();
            }
            if (tls != null) {
                tls.close();
            }
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        this.serverChannel = bound;
        metrics.watch(openSessions::size, relay::localSessionCount);
        metrics.watchNetty(BUFFER_ALLOCATOR, workers);
        this.liveness = new LivenessMonitor(openSessions, config.pingInterval(), config.idleTimeout());
    }

    /** {@code /stats} always, {@code /metrics} unless metrics are off; none without a console. */
    private Map<String, HttpEndpoint> adminEndpoints(ServerConfig config, AdminConsole console) {
        Map<String, HttpEndpoint> admin = new HashMap<>();
        if (console != null) {
            admin.put("/stats", new StatsEndpoint(console, openSessions, config.admin().token()));
            if (console.metricsEnabled()) {
                admin.put("/metrics", new MetricsEndpoint(console));
            }
        }
        return admin;
    }

    /**
     * Binds and starts serving; the returned server is listening, and so is its admin port if the
     * configuration names one. Every upgrade passes {@code admission} (the gate, then the claim
     * decision); {@code metrics} records at the transport's edges; {@code console} answers
     * {@code /metrics} and {@code /stats} (null: neither path is served).
     */
    public static RendezvousServer start(ServerConfig config, Relay relay, Map<String, HttpEndpoint> extraEndpoints,
            UpgradeAdmission admission, Metrics metrics, AdminConsole console) throws InterruptedException {
        return new RendezvousServer(config, relay, extraEndpoints, admission, metrics, console);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Where {@code /metrics} and {@code /stats} are served apart from the public port; null when they are not. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    public String transportName() {
        return transport.name();
    }

    /** {@code off}, {@code openssl} or {@code jdk (why not openssl)}. */
    public String tlsName() {
        return tls == null ? "off" : tls.description();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * From now on no socket is bound: upgrades are refused with 503 and {@code /healthz} answers
     * 503, so load balancers and probes see the drain while it lasts.
     */
    public void beginDrain() {
        draining = true;
        openSessions.closeToNew();
    }

    /**
     * Drains: refuses new sockets (see {@link #beginDrain}), closes every open socket with 1001
     * "going away", waits up to {@code grace} for them to finish closing, then closes the listening
     * socket and stops the event loops. The listener stays open during the drain so that health
     * probes get a 503 rather than a refused connection. Returns whether every socket closed in time.
     */
    public boolean shutdown(Duration grace) {
        beginDrain();
        long deadline = System.nanoTime() + grace.toNanos();
        liveness.close();
        List<WebSocketSession> closing = new ArrayList<>();
        for (WebSocketSession session : openSessions.all()) {
            session.close(CloseReason.GOING_AWAY);
            closing.add(session);
        }
        boolean allClosed = true;
        for (WebSocketSession session : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !session.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                allClosed = false;
                break;
            }
        }
        serverChannel.close().syncUninterruptibly();
        if (tls != null) {
            tls.close();
        }
        log.info("stopped: {} sockets closed{}", closing.size(), allClosed ? "" : " (some cut at the grace deadline)");
        acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        long left = Math.max(0, deadline - System.nanoTime());
        workers.terminationFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
        // Last: operators watch the drain through the admin port.
        if (admin != null) {
            admin.close();
        }
        return allClosed;
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }
}
