package dev.rendezvous.cluster;

import dev.rendezvous.signaling.MailboxLimits;
import dev.rendezvous.signaling.PeerId;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Redis side of the cluster mailbox: one hash per absent ID, {@code rdv:mailbox:<id>}, with a
 * field per held message ({@code <seq>} → {@code <accepted ms>:<bus envelope>}, the envelope naming
 * the sender's node and ID) and three counters: {@code n} (the last seq), {@code c} (messages) and
 * {@code b} (envelope bytes). Every change is one Lua script, so the bounds hold under any
 * concurrency and a drain is atomic with respect to appends and removals.
 */
final class MailboxScripts {

    /** How much longer than the TTL the hash lives: only a dead sender node leaves entries for Redis to expire. */
    static final long KEY_GRACE_MILLIS = 5_000;

    /** Lease held → {0, lease}; a bound reached → {-1}; held → {1, seq}. Entries are {@code <ms>:<envelope>}. */
    private static final String APPEND = """
            local owner = redis.call('GET', KEYS[2])
            if owner then return {0, owner} end
            local count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
            local bytes = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
            local size = string.len(ARGV[1])
            if count >= tonumber(ARGV[3]) or bytes + size > tonumber(ARGV[4]) then return {-1} end
            local now = redis.call('TIME')
            local seq = redis.call('HINCRBY', KEYS[1], 'n', 1)
            redis.call('HSET', KEYS[1], seq, (now[1] * 1000 + math.floor(now[2] / 1000)) .. ':' .. ARGV[1])
            redis.call('HINCRBY', KEYS[1], 'c', 1)
            redis.call('HINCRBY', KEYS[1], 'b', size)
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {1, seq}""";

    /** {} when empty, else {now ms, accepted ms, envelope, accepted ms, envelope, …} in acceptance order. */
    private static final String DRAIN = """
            local all = redis.call('HGETALL', KEYS[1])
            if #all == 0 then return {} end
            redis.call('DEL', KEYS[1])
            local now = redis.call('TIME')
            local seqs, values = {}, {}
            for i = 1, #all, 2 do
              local seq = tonumber(all[i])
              if seq then
                seqs[#seqs + 1] = seq
                values[seq] = all[i + 1]
              end
            end
            table.sort(seqs)
            local out = {now[1] * 1000 + math.floor(now[2] / 1000)}
            for _, seq in ipairs(seqs) do
              local value = values[seq]
              local sep = string.find(value, ':', 1, true)
              out[#out + 1] = tonumber(string.sub(value, 1, sep - 1))
              out[#out + 1] = string.sub(value, sep + 1)
            end
            return out""";

    /** One flag per seq: 1 removed here, 0 no longer there (drained). */
    private static final String REMOVE = """
            local removed = {}
            for i, seq in ipairs(ARGV) do
              local value = redis.call('HGET', KEYS[1], seq)
              removed[i] = 0
              if value then
                redis.call('HDEL', KEYS[1], seq)
                redis.call('HINCRBY', KEYS[1], 'b', string.find(value, ':', 1, true) - string.len(value))
                if redis.call('HINCRBY', KEYS[1], 'c', -1) <= 0 then redis.call('DEL', KEYS[1]) end
                removed[i] = 1
              end
            end
            return removed""";

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final byte[] keyTtl;
    private final byte[] maxMessages;
    private final byte[] maxBytes;

    MailboxScripts(RedisAsyncCommands<byte[], byte[]> redis, MailboxLimits limits) {
        this.redis = redis;
        this.keyTtl = ClusterKeys.utf8(Long.toString(limits.ttl().toMillis() + KEY_GRACE_MILLIS));
        this.maxMessages = ClusterKeys.utf8(Integer.toString(limits.maxMessages()));
        this.maxBytes = ClusterKeys.utf8(Long.toString(limits.maxBytes()));
    }

    /** Appends {@code envelope} for {@code recipient} unless its ID has a lease or a bound is reached. */
    CompletionStage<List<Object>> append(PeerId recipient, byte[] envelope) {
        return eval(APPEND, new byte[][] {ClusterKeys.mailboxKey(recipient), ClusterKeys.idKey(recipient)},
                envelope, keyTtl, maxMessages, maxBytes);
    }

    CompletionStage<List<Object>> drain(PeerId id) {
        return eval(DRAIN, new byte[][] {ClusterKeys.mailboxKey(id)});
    }

    CompletionStage<List<Object>> remove(PeerId recipient, List<Long> seqs) {
        byte[][] args = seqs.stream().map(seq -> ClusterKeys.utf8(Long.toString(seq))).toArray(byte[][]::new);
        return eval(REMOVE, new byte[][] {ClusterKeys.mailboxKey(recipient)}, args);
    }

    /** A command that fails on the spot (connection closed) reports through the stage like any other failure. */
    private CompletionStage<List<Object>> eval(String script, byte[][] keys, byte[]... args) {
        try {
            return redis.eval(script, ScriptOutputType.MULTI, keys, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
