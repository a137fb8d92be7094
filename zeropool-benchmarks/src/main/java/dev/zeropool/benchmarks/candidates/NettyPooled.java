package dev.zeropool.benchmarks.candidates;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: Netty's {@link PooledByteBufAllocator} (jemalloc-style arenas, per-thread caches), direct
 * buffers, Netty's default tuning (including its sampling leak detector). Requests above its chunk
 * size are not pooled: Netty allocates and frees them per call, which is what users of it get.
 */
@State(Scope.Benchmark)
public class NettyPooled {

    private PooledByteBufAllocator allocator;

    @Setup(Level.Trial)
    public void open() {
        allocator = new PooledByteBufAllocator(true);
    }

    public void cycle(int size, Blackhole blackhole) {
        ByteBuf buffer = allocator.directBuffer(size);
        buffer.setByte(0, 1);
        buffer.setByte(size - 1, 2);
        blackhole.consume(buffer);
        buffer.release();
    }
}
