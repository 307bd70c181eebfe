package dev.rendezvous.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two Redis connections: one for commands (claims, lookups, PUBLISH) and one that only
 * listens on the node's channel, because a subscribed connection cannot run other commands.
 *
 * <p>Both reconnect by themselves with a capped exponential backoff and Lettuce re-subscribes the
 * channel. While disconnected, commands are rejected at once instead of queued
 * ({@code REJECT_COMMANDS}), and every command has a short timeout: a cluster send during an
 * outage becomes an error frame now, never a message delivered minutes late or an unbounded queue.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    /** Commands in flight per connection before new ones are refused: bounds memory if Redis slows. */
    static final int REQUEST_QUEUE_SIZE = 65_536;

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private volatile boolean listening;
    private volatile byte[] channel;
    private volatile boolean resubscribeFailing;

    private RedisLink(ClientResources resources, RedisClient client, StatefulRedisConnection<byte[], byte[]> commands,
            StatefulRedisPubSubConnection<byte[], byte[]> subscription) {
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.subscription = subscription;
    }

    static RedisLink open(ClusterSettings settings) {
        return open(settings, CommandLatencyRecorder.disabled());
    }

    /**
     * Connects both connections; nothing is subscribed yet. Blocks: call it at startup only.
     * {@code latency} times every command (Lettuce's Micrometer recorder when metrics are on).
     */
    static RedisLink open(ClusterSettings settings, CommandLatencyRecorder latency) {
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .commandLatencyRecorder(latency)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(settings.redis());
        // Also bounds the connection's start-up handshake, which connectTimeout (TCP only) does not:
        // a Redis that accepts but never answers must fail the start in seconds, not Lettuce's 60 s.
        uri.setTimeout(settings.commandTimeout());
        // Names both connections in CLIENT LIST, so an operator can tell which node is which.
        uri.setClientName("rendezvous-" + settings.node());
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.commandTimeout())
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build())
                .build());
        StatefulRedisConnection<byte[], byte[]> commands = null;
        try {
            commands = client.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisPubSubConnection<byte[], byte[]> subscription = client.connectPubSub(ByteArrayCodec.INSTANCE);
            return new RedisLink(resources, client, commands, subscription);
        } catch (RuntimeException e) {
            if (commands != null) {
                commands.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Subscribes to {@code channel}, delivering each message to {@code onMessage} on a Lettuce I/O
     * thread, in arrival order; Lettuce subscribes again after every reconnect. Call it once the
     * receiver is fully built, since messages may arrive at once. Blocks: call it at startup only.
     * Two nodes with one ID would both receive each other's messages, so a channel that already
     * has a listener is refused.
     */
    void listen(byte[] channel, BiConsumer<byte[], byte[]> onMessage) {
        long listeners = commands.sync().pubsubNumsub(channel).values().stream().mapToLong(Long::longValue).sum();
        if (listeners > 0) {
            throw new IllegalStateException("node id already in use: " + listeners + " node(s) listen on "
                    + new String(channel, StandardCharsets.UTF_8));
        }
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] from, byte[] message) {
                onMessage.accept(from, message);
            }

            @Override
            public void subscribed(byte[] confirmed, long count) {
                listening = true;
            }
        });
        // Lettuce reports the connection open before its re-SUBSCRIBE is confirmed; in between, a
        // PUBLISH to this node finds nobody. Readiness waits for the confirmation.
        subscription.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                listening = false;
            }
        });
        subscription.sync().subscribe(channel);
        this.channel = channel;
    }

    /**
     * Subscribes again if the channel is not subscribed on an open connection. Lettuce re-subscribes
     * once after a reconnect and only logs when that fails (an ACL change, say); without a retry the
     * node would stay unreachable, and unready, until its next reconnect. Called every lease round.
     */
    void resubscribeIfLost() {
        byte[] subscribed = channel;
        if (subscribed == null || listening || !subscription.isOpen()) {
            return;
        }
        subscription.async().subscribe(subscribed).whenComplete((ok, failure) -> {
            if (failure != null && !resubscribeFailing) {
                resubscribeFailing = true;
                log.error("cannot subscribe to {}, the node is unreachable for other nodes and not ready;"
                        + " retrying every lease round: {}", new String(subscribed, StandardCharsets.UTF_8),
                        failure.toString());
            } else if (failure == null && resubscribeFailing) {
                resubscribeFailing = false;
                log.info("subscribed to {} again", new String(subscribed, StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Runs {@code action} each time a connection is established, the first time and after every
     * reconnect, on a Lettuce thread. A Redis that restarted empty has lost this node's leases:
     * they must come back now, not at the next scheduled renewal, or another node may take the IDs.
     */
    void onConnected(Runnable action) {
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                action.run();
            }
        });
    }

    RedisAsyncCommands<byte[], byte[]> commands() {
        return commands.async();
    }

    /** Both connections are up and the channel is subscribed; commands and cross-node messages can flow. */
    boolean isConnected() {
        return commands.isOpen() && subscription.isOpen() && listening;
    }

    @Override
    public void close() {
        subscription.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
