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
 *
 * <p>A value is the holder's token, {@code <node>/<incarnation>.<counter>[#<key hash>]}, followed,
 * when the holder took the ID over, by a space and the token it replaced: so a renewal by the
 * replaced node learns that it was replaced (4410), not that it lost its lease (4409). Every
 * comparison is on the first token only; tokens contain no spaces.
 */
final class IdDirectory {

    /** Keys per renew or release script: big enough to be cheap, small enough not to stall Redis. */
    static final int BATCH = 500;

    /** Result codes of {@link #RENEW}, one per key. */
    static final long LOST = 0;
    static final long RENEWED = 1;
    static final long REASSERTED = 2;
    /** The key names another claim that took it over from this lease (a newer socket with its session key or grant). */
    static final long REPLACED = 3;

    /** What {@link #take} found. */
    enum Taken { CLAIMED, REPLACED, TAKEN }

    /** The answer of {@link #take}: with {@link Taken#REPLACED}, the token it replaced. */
    record Take(Taken outcome, byte[] previous) {
        static final Take CLAIMED = new Take(Taken.CLAIMED, null);
        static final Take TAKEN = new Take(Taken.TAKEN, null);
    }

    /** The holder's token of a value: everything before its first space. */
    private static final String HOLDER = """
            local function holder(value)
              if value == false then return false end
              return string.match(value, '^[^ ]+')
            end
            """;

    private static final String RELEASE = HOLDER + """
            if holder(redis.call('GET', KEYS[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private static final String RELEASE_MANY = HOLDER + """
            local freed = 0
            for i, key in ipairs(KEYS) do
              if holder(redis.call('GET', key)) == ARGV[i] then freed = freed + redis.call('DEL', key) end
            end
            return freed""";

    /**
     * A claim that may take the ID over: free → set; held by a claim with the same key hash, or the
     * newcomer is vouched for by a grant → replaced, returning the holder's token; else taken.
     * ARGV: the new token, the TTL, the newcomer's key hash (or ''), '1' when vouched.
     */
    private static final String TAKE = HOLDER + """
            local current = holder(redis.call('GET', KEYS[1]))
            if current == false then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return {1}
            end
            local held = string.match(current, '#(%x+)$')
            if ARGV[4] == '1' or (ARGV[3] ~= '' and held == ARGV[3]) then
              redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. current, 'PX', ARGV[2])
              return {2, current}
            end
            return {0}""";

    /**
     * Renews each key this node still owns; re-creates the ones that vanished (Redis restarted
     * empty, or the key expired during an outage) since nobody else holds them; reports the ones
     * another node took meanwhile, whose local sockets must go.
     */
    private static final String RENEW = """
            local ttl = ARGV[1]
            local result = {}
            for i, key in ipairs(KEYS) do
              local mine = ARGV[i + 1]
              local value = redis.call('GET', key)
              if value == false then
                redis.call('SET', key, mine, 'PX', ttl)
                result[i] = 2
              elseif string.match(value, '^[^ ]+') == mine then
                redis.call('PEXPIRE', key, ttl)
                result[i] = 1
              elseif string.match(value, ' (.+)$') == mine then
                result[i] = 3
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

    /**
     * Claims the key for a newcomer with a session key or a grant (see {@link #TAKE}); the hash is
     * compared in Redis as text: what an observer could time there is a SHA-256, which reveals nothing
     * about the key.
     */
    CompletionStage<Take> take(byte[] key, byte[] token, String keyHashHex, boolean vouched) {
        byte[][] args = {token, ClusterKeys.utf8(Long.toString(leaseTtlMillis)),
                ClusterKeys.utf8(keyHashHex == null ? "" : keyHashHex), ClusterKeys.utf8(vouched ? "1" : "0")};
        return safely(() -> redis.<List<Object>>eval(TAKE, ScriptOutputType.MULTI, new byte[][] {key}, args)
                .thenApply(reply -> switch (((Long) reply.get(0)).intValue()) {
                    case 1 -> Take.CLAIMED;
                    case 2 -> new Take(Taken.REPLACED, (byte[]) reply.get(1));
                    default -> Take.TAKEN;
                }));
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

    /** One result code per lease, in order: {@link #RENEWED}, {@link #REASSERTED}, {@link #REPLACED} or {@link #LOST}. */
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
