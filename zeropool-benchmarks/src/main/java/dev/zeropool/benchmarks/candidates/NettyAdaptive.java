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
 * chunks; Netty 4.2's default allocator), direct buffers, default settings, at the latest 4.2 release
 * (see the module's pom). The benchmark threads are not Netty event-loop threads, like the worker
 * threads of most services; by default Netty then uses its shared, striped magazines rather than
 * thread-local ones ({@code io.netty.allocator.useCacheForNonEventLoopThreads}).
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

    /** Takes a buffer of {@code size} bytes and writes both ends; the caller owns it until {@link #give}. */
    public ByteBuf take(int size) {
        ByteBuf buffer = allocator.directBuffer(size);
        buffer.setByte(0, 1);
        buffer.setByte(size - 1, 2);
        return buffer;
    }

    /** Gives back a buffer from {@link #take} (releases it), from any thread. */
    public void give(ByteBuf buffer) {
        buffer.release();
    }
}
