package dev.zeropool.benchmarks.candidates;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: Netty's {@link PooledByteBufAllocator} (jemalloc-style arenas), direct buffers, Netty's
 * default tuning (including its sampling leak detector). A buffer of its chunk size (4 MiB by default)
 * fills a chunk of its own, which Netty frees once it is empty again, so at that size it allocates per
 * call in effect; per-thread caches are by default only for its event-loop threads, which benchmark
 * threads are not. That is what users of it get with its defaults.
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
