package dev.rendezvous.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The cluster-wide ID directory in Redis: one key per claimed ID whose value names the owning
 * node and claim ({@link LeaseTokens}), with a TTL the owner keeps renewing. Every write that
 * could touch another owner's key compares the token first, inside a Lua script, so it is atomic.
 * All calls are asynchronous; their stages complete on a Lettuce I/O thread.
 */
final class IdDirectory {

    /** Keys per renew or release script: big enough to be cheap, small enough not to stall Redis. */
    static final int BATCH = 500;

    /** Result codes of {@link #RENEW}, one per key. */
    static final long LOST = 0;
    static final long RENEWED = 1;
    static final long REASSERTED = 2;

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private static final String RELEASE_MANY = """
            local freed = 0
            for i, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[i] then freed = freed + redis.call('DEL', key) end
            end
            return freed""";

    /**
     * Renews each key this node still owns; re-creates the ones that vanished (Redis restarted
     * empty, or the key expired during an outage) since nobody else holds them; reports the ones
     * another node took meanwhile, whose local sockets must go.
     */
    private static final String RENEW = """
            local ttl = ARGV[1]
            local result = {}
            for i, key in ipairs(KEYS) do
              local owner = redis.call('GET', key)
              if owner == ARGV[i + 1] then
                redis.call('PEXPIRE', key, ttl)
                result[i] = 1
              elseif owner == false then
                redis.call('SET', key, ARGV[i + 1], 'PX', ttl)
                result[i] = 2
              else
                result[i] = 0
              end
            end
            return result""";

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final long leaseTtlMillis;
    private final byte[] leaseTtlArg;
    private final ClusterEvents events;

    IdDirectory(RedisAsyncCommands<byte[], byte[]> redis, Duration leaseTtl) {
        this(redis, leaseTtl, ClusterEvents.NONE);
    }

    IdDirectory(RedisAsyncCommands<byte[], byte[]> redis, Duration leaseTtl, ClusterEvents events) {
        this.redis = redis;
        this.leaseTtlMillis = leaseTtl.toMillis();
        this.leaseTtlArg = ClusterKeys.utf8(Long.toString(leaseTtlMillis));
        this.events = events;
    }

    /** True when the key was free and is now ours; false when someone holds it. */
    CompletionStage<Boolean> acquire(byte[] key, byte[] token) {
        return safely(() -> redis.set(key, token, SetArgs.Builder.nx().px(leaseTtlMillis)).thenApply("OK"::equals));
    }

    /** Deletes the key only if it still holds {@code token}. */
    CompletionStage<Boolean> release(byte[] key, byte[] token) {
        return safely(() -> redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {key}, token)
                .thenApply(freed -> freed > 0));
    }

    /** Deletes each key that still holds its token; at most {@link #BATCH} leases per call. */
    CompletionStage<Long> releaseAll(List<Lease> leases) {
        byte[][] keys = new byte[leases.size()][];
        byte[][] tokens = new byte[leases.size()][];
        for (int i = 0; i < leases.size(); i++) {
            keys[i] = leases.get(i).key();
            tokens[i] = leases.get(i).token();
        }
        return safely(() -> redis.eval(RELEASE_MANY, ScriptOutputType.INTEGER, keys, tokens));
    }

    /** One result code per lease, in order: {@link #RENEWED}, {@link #REASSERTED} or {@link #LOST}. */
    CompletionStage<List<Long>> renew(List<Lease> leases) {
        byte[][] keys = new byte[leases.size()][];
        byte[][] args = new byte[leases.size() + 1][];
        args[0] = leaseTtlArg;
        for (int i = 0; i < leases.size(); i++) {
            keys[i] = leases.get(i).key();
            args[i + 1] = leases.get(i).token();
        }
        return safely(() -> redis.eval(RENEW, ScriptOutputType.MULTI, keys, args));
    }

    /** Completes when Redis answers a PING: proof that the directory can be reached right now. */
    CompletionStage<Void> reachable() {
        return safely(() -> redis.ping().thenAccept(pong -> { }));
    }

    /** The lease value ({@code <node>/<token>}) of the key, or null when nobody holds it. */
    CompletionStage<byte[]> lookup(byte[] key) {
        return safely(() -> redis.get(key)).whenComplete((owner, failure) -> {
            if (failure != null) {
                events.lookupFailed();
            } else {
                events.lookedUp(owner != null);
            }
        });
    }

    /** A command that fails on the spot (connection closed) reports through the stage like any other failure. */
    private static <T> CompletionStage<T> safely(Supplier<CompletionStage<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
