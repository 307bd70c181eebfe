package dev.rendezvous.metrics;

import dev.rendezvous.cluster.ClusterEvents;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster's meters, bound only in cluster mode. Redis command latency comes from Lettuce's own
 * Micrometer recorder (see {@link ForeignMeters}); these count what the cluster layer reports.
 */
final class ClusterMeters implements ClusterEvents {

    private final LongAdder publishes = new LongAdder();
    private final LongAdder envelopesPublished = new LongAdder();
    private final LongAdder receives = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder missesReceived = new LongAdder();
    private final LongAdder lookupsFound = new LongAdder();
    private final LongAdder lookupsNobody = new LongAdder();
    private final LongAdder lookupsFailed = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    ClusterMeters(MeterRegistry registry) {
        count(registry, "rendezvous.redis.reconnects", reconnects,
                "Redis connections (commands or pub/sub) established again after being lost");
        count(registry, "rendezvous.cluster.publishes", publishes, "PUBLISH commands sent to other nodes' channels");
        count(registry, "rendezvous.cluster.published.envelopes", envelopesPublished,
                "Envelopes (messages and miss notices) carried by those PUBLISH commands");
        count(registry, "rendezvous.cluster.receives", receives, "Bus frames received on this node's channel");
        FunctionCounter.builder("rendezvous.cluster.received.envelopes", messagesReceived, LongAdder::sum)
                .description("Envelopes received from other nodes, by kind").tag("kind", "message").register(registry);
        FunctionCounter.builder("rendezvous.cluster.received.envelopes", missesReceived, LongAdder::sum)
                .description("Envelopes received from other nodes, by kind").tag("kind", "miss").register(registry);
        lookup(registry, "found", lookupsFound);
        lookup(registry, "nobody", lookupsNobody);
        lookup(registry, "error", lookupsFailed);
    }

    private static void count(MeterRegistry registry, String name, LongAdder count, String description) {
        FunctionCounter.builder(name, count, LongAdder::sum).description(description).register(registry);
    }

    private static void lookup(MeterRegistry registry, String result, LongAdder count) {
        FunctionCounter.builder("rendezvous.directory.lookups", count, LongAdder::sum)
                .description("Lookups of which node holds a remote ID, by result (nobody: a miss)")
                .tag("result", result)
                .register(registry);
    }

    @Override
    public void published(int envelopes) {
        publishes.increment();
        envelopesPublished.add(envelopes);
    }

    @Override
    public void received() {
        receives.increment();
    }

    @Override
    public void messageReceived() {
        messagesReceived.increment();
    }

    @Override
    public void missReceived() {
        missesReceived.increment();
    }

    @Override
    public void lookedUp(boolean found) {
        (found ? lookupsFound : lookupsNobody).increment();
    }

    @Override
    public void lookupFailed() {
        lookupsFailed.increment();
    }

    @Override
    public void reconnected() {
        reconnects.increment();
    }
}
