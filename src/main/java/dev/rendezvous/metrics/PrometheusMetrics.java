package dev.rendezvous.metrics;

import dev.rendezvous.admission.Refusals;
import dev.rendezvous.cluster.ClusterEvents;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.Forwarded;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The meters of one node in a Prometheus registry. Every meter is bound here, once, for every value
 * of its closed label sets, and kept in a field or an array indexed by the enum's ordinal: recording
 * is an add to a {@link LongAdder}, with no registry lookup and no allocation. Counters are
 * {@link FunctionCounter}s over those adders, read when Prometheus scrapes.
 */
public final class PrometheusMetrics implements Metrics, AutoCloseable {

    /**
     * One message in this many per socket is timed, starting with its first: a socket that sends a
     * few signaling messages is still sampled, and a flood costs one clock read per 64 messages.
     */
    public static final int LATENCY_SAMPLE_EVERY = 64;

    /** The client close codes counted by name; any other is counted as {@code other}. */
    private static final int[] CLIENT_CODES = {1000, 1001, 1005};

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RefusalMeters refusals;
    private final LongAdder[] routed = adders(Forwarded.values().length);
    private final LongAdder malformed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] errors = adders(ErrorCode.values().length);
    private final LongAdder[] closes = adders(CloseReason.values().length);
    private final LongAdder[] clientCloses = adders(CLIENT_CODES.length + 1);
    private final LongAdder dropped = new LongAdder();
    private final LongAdder[] upgrades = adders(UpgradeResult.values().length);
    private final Timer relayLatency;
    private final Timer pingRoundTrip;

    /**
     * @param maxConnections the socket limit in effect, exported so that an alert can compare
     */
    public PrometheusMetrics(String version, String node, String mode, long maxConnections) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new ForeignMeters());
        Gauge.builder("rendezvous.build.info", () -> 1).description("Always 1; the labels name the build and node")
                .tags("version", version, "node", node, "mode", mode).register(registry);
        Gauge.builder("rendezvous.sockets.max", () -> maxConnections)
                .description("The most sockets this node accepts (--max-connections in effect)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        refusals = new RefusalMeters(registry);
        bindMessages();
        bindCloses();
        for (ErrorCode code : ErrorCode.values()) {
            counter("rendezvous.errors", errors[code.ordinal()], "Error frames sent to clients, by error code")
                    .tag("code", code.wireName()).register(registry);
        }
        for (UpgradeResult result : UpgradeResult.values()) {
            counter("rendezvous.upgrades", upgrades[result.ordinal()], "Requests at /websocket, by how they ended")
                    .tag("result", result.label()).register(registry);
        }
        relayLatency = Timer.builder("rendezvous.relay.latency")
                .description("Sampled messages from decoded to written to the recipient's socket, on one node")
                .serviceLevelObjectives(LatencyBuckets.RELAY).register(registry);
        pingRoundTrip = Timer.builder("rendezvous.ping.round.trip")
                .description("Pings from sent to their pong read")
                .serviceLevelObjectives(LatencyBuckets.PING).register(registry);
    }

    private void bindMessages() {
        String messages = "Text messages received from clients, by what became of them";
        for (Forwarded outcome : Forwarded.values()) {
            counter("rendezvous.messages", routed[outcome.ordinal()], messages)
                    .tag("outcome", outcomeLabel(outcome)).register(registry);
        }
        counter("rendezvous.messages", malformed, messages).tag("outcome", "malformed").register(registry);
        counter("rendezvous.received.bytes", bytesIn, "Bytes of text messages received from clients")
                .baseUnit("bytes").register(registry);
        counter("rendezvous.sent.bytes", bytesOut, "Bytes of relayed messages and error frames queued to clients")
                .baseUnit("bytes").register(registry);
    }

    private void bindCloses() {
        String description = "WebSocket closes, by close code and reason (client: the client closed; "
                + "dropped: the connection ended without a close)";
        for (CloseReason reason : CloseReason.values()) {
            counter("rendezvous.closes", closes[reason.ordinal()], description)
                    .tags("code", Integer.toString(reason.code()),
                            "reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .register(registry);
        }
        for (int i = 0; i <= CLIENT_CODES.length; i++) {
            String code = i < CLIENT_CODES.length ? Integer.toString(CLIENT_CODES[i]) : "other";
            counter("rendezvous.closes", clientCloses[i], description).tags("code", code, "reason", "client")
                    .register(registry);
        }
        counter("rendezvous.closes", dropped, description).tags("code", "1006", "reason", "dropped").register(registry);
    }

    private static String outcomeLabel(Forwarded outcome) {
        return outcome == Forwarded.REMOTE ? "cross-node" : outcome.name().toLowerCase(Locale.ROOT);
    }

    private static FunctionCounter.Builder<LongAdder> counter(String name, LongAdder count, String description) {
        return FunctionCounter.builder(name, count, LongAdder::sum).description(description);
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** The registry, for binders the root adds (Lettuce's command latency recorder). */
    public MeterRegistry registry() {
        return registry;
    }

    public Refusals refusals() {
        return refusals;
    }

    /** Binds the cluster's counters; call once, in cluster mode, before the relay connects. */
    public ClusterEvents cluster() {
        return new ClusterMeters(registry);
    }

    /** Binds {@code rendezvous_redis_reachable}; {@code reachable} is the cluster relay's readiness. */
    public void watchRedis(BooleanSupplier reachable) {
        Gauge.builder("rendezvous.redis.reachable", reachable, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while Redis answers and this node's channel is subscribed, else 0")
                .strongReference(true)
                .register(registry);
    }

    /** Binds the mailbox's gauges; called once, when the mailbox is on. */
    public void watchMailbox(LongSupplier bytes, IntSupplier messages) {
        Gauge.builder("rendezvous.mailbox.held.bytes", bytes, LongSupplier::getAsLong)
                .description("Bytes the mailbox keeps for held messages on this node, bookkeeping included")
                .baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder("rendezvous.mailbox.held.messages", messages, IntSupplier::getAsInt)
                .description("Messages held on this node for IDs that have not connected yet")
                .strongReference(true).register(registry);
    }

    /** Every text message received so far, whatever became of it. */
    long messagesTotal() {
        long total = malformed.sum();
        for (LongAdder count : routed) {
            total += count.sum();
        }
        return total;
    }

    long errorsTotal() {
        long total = 0;
        for (LongAdder count : errors) {
            total += count.sum();
        }
        return total;
    }

    /** The registry in the exposition format of {@code contentType}. Reads every meter: not for an event loop. */
    String scrape(String contentType) {
        return registry.scrape(contentType);
    }

    @Override
    public void watch(IntSupplier openSockets, IntSupplier heldIds) {
        Gauge.builder("rendezvous.sockets.open", openSockets, IntSupplier::getAsInt)
                .description("Upgraded WebSockets open on this node").strongReference(true).register(registry);
        Gauge.builder("rendezvous.ids.held", heldIds, IntSupplier::getAsInt)
                .description("IDs bound to sockets on this node").strongReference(true).register(registry);
    }

    @Override
    public void watchNetty(ByteBufAllocatorMetricProvider allocator, Iterable<EventExecutor> eventLoops) {
        new NettyAllocatorMetrics(allocator).bindTo(registry);
        new NettyEventExecutorMetrics(eventLoops).bindTo(registry);
    }

    @Override
    public void upgraded(UpgradeResult result) {
        upgrades[result.ordinal()].increment();
    }

    @Override
    public void routed(Forwarded outcome, int bytes) {
        routed[outcome.ordinal()].increment();
        bytesIn.add(bytes);
    }

    @Override
    public void malformed(int bytes) {
        malformed.increment();
        bytesIn.add(bytes);
    }

    @Override
    public void sent(int bytes) {
        bytesOut.add(bytes);
    }

    @Override
    public void errorSent(ErrorCode code, int bytes) {
        errors[code.ordinal()].increment();
        bytesOut.add(bytes);
    }

    @Override
    public void closed(CloseReason reason) {
        closes[reason.ordinal()].increment();
    }

    @Override
    public void closedByClient(int code) {
        int slot = CLIENT_CODES.length;
        for (int i = 0; i < CLIENT_CODES.length; i++) {
            // Netty reports a close frame without a status code as -1; RFC 6455 calls that 1005.
            if (CLIENT_CODES[i] == code || (code == -1 && CLIENT_CODES[i] == 1005)) {
                slot = i;
            }
        }
        clientCloses[slot].increment();
    }

    @Override
    public void dropped() {
        dropped.increment();
    }

    @Override
    public int latencySampleEvery() {
        return LATENCY_SAMPLE_EVERY;
    }

    @Override
    public void relayLatency(long nanos) {
        relayLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void pingRoundTrip(long nanos) {
        pingRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
