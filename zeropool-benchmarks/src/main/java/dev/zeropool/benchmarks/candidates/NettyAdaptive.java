package dev.zeropool.benchmarks.candidates;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: Netty 4.2's {@link AdaptiveByteBufAllocator} (size-class magazines carved from shared
 * chunks), direct buffers, default settings. The benchmark threads are not Netty event-loop threads,
 * like the worker threads of most services; by default Netty then uses its shared, striped magazines
 * rather than thread-local ones ({@code io.netty.allocator.useCacheForNonEventLoopThreads}).
 */
@State(Scope.Benchmark)
public class NettyAdaptive {

    private AdaptiveByteBufAllocator allocator;

    @Setup(Level.Trial)
    public void open() {
        allocator = new AdaptiveByteBufAllocator();
    }

    public void cycle(int size, Blackhole blackhole) {
        ByteBuf buffer = allocator.directBuffer(size);
        buffer.setByte(0, 1);
        buffer.setByte(size - 1, 2);
        blackhole.consume(buffer);
        buffer.release();
    }
}
