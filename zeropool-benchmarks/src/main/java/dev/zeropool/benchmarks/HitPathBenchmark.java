package dev.zeropool.benchmarks;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ZeroPool's {@code get}+{@code put} cost by the path the request takes, one thread, same operation as
 * {@link GetPutLatencyBenchmark}:
 * <ul>
 *   <li>{@code tlsHit}: served from and returned to the thread's own cache (no lock, no atomic);
 *   <li>{@code shardHit}: per-thread cache disabled ({@code tlsCacheSize(0)}), so every call takes and
 *       releases the home shard's lock;
 *   <li>{@code miss}: a pool that may keep nothing ({@code maxPooledBytes(1)}), so every {@code get}
 *       allocates and every {@code put} drops: the price of a miss, to compare with plain
 *       {@code allocateDirect} at the same size.
 * </ul>
 * Each pool checks at the end of the trial that the intended path was really taken and prints its
 * {@link PoolStats}, so a change in the engine cannot silently turn one path into another.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class HitPathBenchmark {

    @Param("65536")
    public int size;

    @Benchmark
    public void tlsHit(TlsHitPool pool, Blackhole blackhole) {
        cycle(pool.pool, size, blackhole);
    }

    @Benchmark
    public void shardHit(ShardHitPool pool, Blackhole blackhole) {
        cycle(pool.pool, size, blackhole);
    }

    @Benchmark
    public void miss(MissPool pool, Blackhole blackhole) {
        cycle(pool.pool, size, blackhole);
    }

    private static void cycle(BufferPool pool, int size, Blackhole blackhole) {
        ByteBuffer buffer = pool.get(size);
        buffer.put(0, (byte) 1);
        buffer.put(size - 1, (byte) 2);
        blackhole.consume(buffer);
        pool.put(buffer);
    }

    /** A pool whose settings force one path; checks at the end that it was taken nearly always. */
    abstract static class PathPool {
        BufferPool pool;

        abstract BufferPool build();

        /** @return the share of {@code get}s that took the intended path */
        abstract double share(PoolStats stats);

        @Setup(Level.Trial)
        public void open() {
            pool = build();
        }

        @TearDown(Level.Trial)
        public void close() {
            PoolStats stats = pool.stats();
            pool.close();
            System.out.printf("%n[hit path] %s: %.4f of %d gets took the intended path"
                            + " (tlsHits %d, shardHits %d, misses %d, dropped %d)%n",
                    getClass().getSimpleName(), share(stats), stats.gets(), stats.tlsHits(), stats.shardHits(),
                    stats.misses(), stats.dropped());
            if (share(stats) < 0.99) {
                throw new IllegalStateException(getClass().getSimpleName() + " measured the wrong path: " + stats);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class TlsHitPool extends PathPool {
        @Override
        BufferPool build() {
            return BufferPool.builder().tlsCacheSize(4).build();
        }

        @Override
        double share(PoolStats stats) {
            return stats.tlsHitRate();
        }
    }

    @State(Scope.Benchmark)
    public static class ShardHitPool extends PathPool {
        @Override
        BufferPool build() {
            return BufferPool.builder().tlsCacheSize(0).build();
        }

        @Override
        double share(PoolStats stats) {
            return stats.gets() == 0 ? 1.0 : (double) stats.shardHits() / stats.gets();
        }
    }

    @State(Scope.Benchmark)
    public static class MissPool extends PathPool {
        @Override
        BufferPool build() {
            return BufferPool.builder().maxPooledBytes(1).build();
        }

        @Override
        double share(PoolStats stats) {
            return stats.gets() == 0 ? 1.0 : (double) stats.misses() / stats.gets();
        }
    }
}
