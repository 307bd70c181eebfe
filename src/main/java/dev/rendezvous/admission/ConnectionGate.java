package dev.rendezvous.admission;

import dev.rendezvous.admission.ClientLimits.Decision;
import dev.rendezvous.admission.GateVerdict.Admitted;
import dev.rendezvous.admission.GateVerdict.Refused;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.CidrRange;
import dev.rendezvous.config.LimitsConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The cheap refusals, decided for every WebSocket upgrade before anything is claimed or upgraded:
 * the page's origin (403), the node's socket limit (503) and the per-client limits (429). These are
 * answers for attackers and misconfigured clients, so they stay plain HTTP; a refusal a legitimate
 * user must understand comes after the upgrade, as a close code.
 *
 * <p>A socket counts against the limits from the moment it passes here until its connection
 * closes, whatever happens in between (an ID taken, a grant refused): it holds a descriptor all that
 * time. Connections still in their HTTP phase are not counted; {@code --handshake-timeout} bounds them.
 */
public final class ConnectionGate {

    /** For a full node or a client at its socket cap, when a slot frees is unknown; long enough not to hammer. */
    static final long RETRY_AFTER_SECONDS = 10;

    static final String ORIGIN_HEADER = "Origin";
    /** What the drafts 7 and 8 of RFC 6455, still accepted, call the origin. */
    static final String LEGACY_ORIGIN_HEADER = "Sec-WebSocket-Origin";
    static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";

    private static final Refused ORIGIN = new Refused(RefusalCause.ORIGIN, 403, "origin not allowed", 0);
    private static final Refused FULL = new Refused(RefusalCause.SERVER_FULL, 503, "server full", RETRY_AFTER_SECONDS);
    private static final Refused PER_CLIENT = new Refused(RefusalCause.CONNECTIONS_PER_IP, 429,
            "too many sockets from this address", RETRY_AFTER_SECONDS);
    private static final String RATE_BODY = "too many connection attempts from this address";

    private final OriginPolicy origins;
    private final List<CidrRange> trustProxy;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final ClientLimits perClient;
    private final LimitsConfig limits;
    private final RefusalLog log;
    private final MessageRate messageRate;
    private final String overHandshakeRate;
    private final LongSupplier clock;

    /**
     * @param maxConnections the node's socket limit in effect (see {@link ConnectionBudget})
     * @param refusals       where every refusal, here and of messages, is counted
     */
    public ConnectionGate(AccessConfig access, int maxConnections, Refusals refusals) {
        this(access, maxConnections, refusals, System::nanoTime);
    }

    ConnectionGate(AccessConfig access, int maxConnections, Refusals refusals, LongSupplier clock) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be >= 1, got " + maxConnections);
        }
        this.origins = new OriginPolicy(access.allowedOrigins());
        this.trustProxy = access.trustProxy();
        this.maxConnections = maxConnections;
        this.limits = access.limits();
        this.clock = clock;
        this.log = new RefusalLog(refusals, clock);
        this.messageRate = MessageRate.of(limits, log);
        TokenBucket handshakes = limits.handshakeRate() > 0
                ? new TokenBucket(limits.handshakeRate(), limits.effectiveHandshakeBurst())
                : null;
        this.perClient = handshakes != null || limits.maxConnectionsPerIp() > 0
                ? new ClientLimits(limits.maxConnectionsPerIp(), handshakes, maxConnections, clock.getAsLong())
                : null;
        this.overHandshakeRate = handshakes == null ? null : "over " + handshakes.describe("handshakes");
    }

    /**
     * Decides an upgrade from {@code tcpPeer} (null when the channel has no IP peer) whose request
     * headers {@code headers} returns by name (every value, in order; empty when absent). On
     * {@link Admitted} the socket holds a slot until {@link #release}.
     */
    public GateVerdict admit(InetAddress tcpPeer, Function<String, List<String>> headers) {
        ClientAddress forwarded = null;
        if (!trustProxy.isEmpty()) {
            ClientAddress peer = ClientAddress.of(tcpPeer);
            ClientAddress client = ForwardedFor.client(peer, headers.apply(FORWARDED_FOR_HEADER), trustProxy);
            forwarded = client == peer ? null : client;
        }
        if (!origins.allowsAny()) {
            List<String> values = originValues(headers);
            if (!origins.allows(values)) {
                log.refused(RefusalCause.ORIGIN, client(tcpPeer, forwarded), describe(values));
                return ORIGIN;
            }
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            log.refused(RefusalCause.SERVER_FULL, client(tcpPeer, forwarded), maxConnections + " sockets open");
            return FULL;
        }
        if (perClient != null) {
            ClientAddress client = client(tcpPeer, forwarded);
            Decision decision = perClient.tryAcquire(client.key(), clock.getAsLong());
            if (decision.outcome() != ClientLimits.Outcome.ADMITTED) {
                open.decrementAndGet();
                return refusePerClient(client, decision);
            }
        }
        return forwarded == null ? Admitted.DIRECT : new Admitted(forwarded);
    }

    private Refused refusePerClient(ClientAddress client, Decision decision) {
        switch (decision.outcome()) {
            case OVER_CONNECTIONS -> {
                log.refused(RefusalCause.CONNECTIONS_PER_IP, client,
                        limits.maxConnectionsPerIp() + " sockets open from this client");
                return PER_CLIENT;
            }
            case TABLE_FULL -> log.refused(RefusalCause.HANDSHAKE_RATE, client,
                    "the per-client table is full (a flood from many addresses)");
            default -> log.refused(RefusalCause.HANDSHAKE_RATE, client, overHandshakeRate);
        }
        long seconds = Math.max(1, (decision.waitNanos() + 999_999_999L) / 1_000_000_000L);
        return new Refused(RefusalCause.HANDSHAKE_RATE, 429, RATE_BODY, seconds);
    }

    /** Gives back the slot of a socket {@link #admit} admitted, when its connection has closed. */
    public void release(InetAddress tcpPeer, ClientAddress forwardedClient) {
        open.decrementAndGet();
        if (perClient != null) {
            perClient.release(client(tcpPeer, forwardedClient).key(), clock.getAsLong());
        }
    }

    private static ClientAddress client(InetAddress tcpPeer, ClientAddress forwarded) {
        return forwarded != null ? forwarded : ClientAddress.of(tcpPeer);
    }

    private static List<String> originValues(Function<String, List<String>> headers) {
        List<String> values = headers.apply(ORIGIN_HEADER);
        List<String> legacy = headers.apply(LEGACY_ORIGIN_HEADER);
        if (legacy.isEmpty()) {
            return values;
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(legacy);
        return all;
    }

    /** The refused origin as the node understood it: normalised, or only that it was malformed. */
    private static String describe(List<String> values) {
        if (values.size() > 1) {
            return "origin not allowed: " + values.size() + " origins in one request";
        }
        Origin origin = Origin.parse(values.get(0));
        return origin == null ? "origin not allowed: a malformed Origin header" : "origin not allowed: " + origin;
    }

    /** The per-socket message limit, or null when {@code --message-rate} is off. */
    public MessageRate messageRate() {
        return messageRate;
    }

    public OriginPolicy origins() {
        return origins;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Sockets holding a slot now. */
    public int openConnections() {
        return open.get();
    }
}
