package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: ZeroPool as a service would configure it, with its defaults for statistics (always on),
 * validation ({@code FAST}) and leak detection ({@code SAMPLED}, about one get in 128 captures a stack). The
 * settings that differ from the machine defaults only make sure the pool can keep the working set of
 * these benchmarks (up to two threads, one buffer of up to {@link Sizes#LARGEST} each): room for four
 * buffers per thread cache and a 256 MiB bound, so a miss is never a sizing accident.
 */
@State(Scope.Benchmark)
public class ZeroPool {

    private BufferPool pool;

    @Setup(Level.Trial)
    public void open() {
        pool = configure(BufferPool.builder()
                .tlsCacheSize(4)
                .maxBuffersPerShard(16)
                .maxPooledBytes(256L << 20))
                .build();
    }

    /** Variants switch off one guarantee at a time, so its cost shows as a difference. */
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder;
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
    }

    public void cycle(int size, Blackhole blackhole) {
        ByteBuffer buffer = pool.get(size);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
        pool.put(buffer);
    }
}
