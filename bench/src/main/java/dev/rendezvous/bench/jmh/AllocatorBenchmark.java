package dev.rendezvous.bench.jmh;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one relayed message pays Netty's buffer allocator: the decoded frame's payload (262 B for
 * the bench's 256 B messages) and the encoded frame (266 B), each allocated and released, in
 * batches of {@code batch} messages as one event-loop iteration of a flood would hold them.
 * {@code pooled} is the allocator the node uses ({@code PooledByteBufAllocator.DEFAULT}),
 * {@code adaptive} the one Netty 4.2 makes its default (with its thread-local magazines for this
 * benchmark thread too, as an event loop gets them). The score is per buffer pair. The fork gets
 * the options of {@code deploy/jvm.options} that decide where direct memory comes from.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true", "-Dio.netty.leakDetection.level=disabled"})
public class AllocatorBenchmark {

    static final int BATCH = 256;

    @Param({"pooled", "adaptive"})
    public String allocator;

    private ByteBufAllocator alloc;
    private final ByteBuf[] payloads = new ByteBuf[BATCH];
    private final ByteBuf[] frames = new ByteBuf[BATCH];

    @Setup
    public void setUp() {
        alloc = allocator.equals("pooled") ? PooledByteBufAllocator.DEFAULT : new AdaptiveByteBufAllocator(true, true);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeAndEncodeBatch() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            payloads[i] = alloc.directBuffer(262).writeLong(i);
            frames[i] = alloc.directBuffer(266).writeLong(i);
        }
        for (int i = 0; i < BATCH; i++) {
            sum += payloads[i].getLong(0) + frames[i].getLong(0);
            payloads[i].release();
            frames[i].release();
        }
        return sum;
    }

    @Benchmark
    public long oneMessage() {
        ByteBuf payload = alloc.directBuffer(262).writeLong(1);
        ByteBuf frame = alloc.directBuffer(266).writeLong(2);
        long sum = payload.getLong(0) + frame.getLong(0);
        payload.release();
        frame.release();
        return sum;
    }
}
