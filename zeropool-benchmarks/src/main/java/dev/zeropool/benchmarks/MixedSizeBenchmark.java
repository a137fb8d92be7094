package dev.zeropool.benchmarks;

import dev.zeropool.BufferPool;
import dev.zeropool.EvictionPolicy;
import dev.zeropool.PoolStats;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * ZeroPool under a mixed-size workload ({@link MixedSizeWorkload}: 4 KiB to 1 MiB, skewed, hot set
 * shifting every {@value #PHASE_LENGTH} requests), one thread holding its last {@value #WINDOW}
 * buffers. Each operation gives back the oldest buffer and takes a new one. Compares the eviction
 * policies at the same memory budget, {@code maxPooledBytes = budgetPerPeakLiveByte x} the most bytes
 * the workload ever holds at once, so the bound really binds. Two regimes of the shard's buffer count:
 * 16, where the count binds first and the shard asks its eviction policy for a victim, and 256, where
 * the byte budget binds.
 *
 * <p>Reported per measurement iteration, summed over the iterations (JMH "events"):
 * {@code hits}, {@code misses} (steady-state hit rate = hits / (hits + misses)), and
 * {@code pooledBytes} / {@code peakLiveBytes} (each iteration adds the pool's bytes at its end and the
 * workload's peak, so their quotient is pooled bytes per live byte). The trial end also prints these
 * ratios. Targets where the bytes bind (256, as with the default count bound): hit rate at least 0.95,
 * {@code CLOCK_PRO} above {@code LIFO}, pooled per live at most 1.25; where the count binds (16, fewer
 * slots than the workload's working set), {@code CLOCK_PRO} above {@code LIFO}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
public class MixedSizeBenchmark {

    static final int PHASES = 16;
    static final int PHASE_LENGTH = 50_000;
    static final int WINDOW = 16;

    @Benchmark
    public ByteBuffer mixed(Run run, Counters counters) {
        counters.run = run; // JMH gives each fixture argument its own instance; this links the one in use
        return run.step();
    }

    /** The pool under test and the workload's state: one per (single) benchmark thread. */
    @State(Scope.Thread)
    public static class Run {

        @Param({"CLOCK_PRO", "LIFO"})
        public EvictionPolicy policy;

        @Param("1.25")
        public double budgetPerPeakLiveByte;

        /**
         * Buffers the (single, home) shard may hold. 256: the byte budget is the bound that binds.
         * 16: the count binds first, which is where the shard asks its eviction policy for a victim.
         */
        @Param({"16", "256"})
        public int maxBuffersPerShard;

        MixedSizeWorkload workload;
        BufferPool pool;
        private ByteBuffer[] held;
        private long next;
        private long trialHits;
        private long trialMisses;
        private PoolStats lastStats;

        @Setup(Level.Trial)
        public void open() {
            workload = new MixedSizeWorkload(PHASES, PHASE_LENGTH, WINDOW, 42);
            pool = BufferPool.builder()
                    .numShards(1) // one shard, so that its count bound binds: with more, a full shard spills
                    .evictionPolicy(policy)
                    .maxPooledBytes((long) (budgetPerPeakLiveByte * workload.peakLiveBytes()))
                    .maxBuffersPerShard(maxBuffersPerShard)
                    .maxBufferSize(MixedSizeWorkload.LARGEST)
                    .build();
            held = new ByteBuffer[WINDOW];
            lastStats = pool.stats();
        }

        /** Gives back the oldest held buffer, takes the next request's, touches both ends, holds it. */
        private ByteBuffer step() {
            int slot = (int) (next % WINDOW);
            ByteBuffer oldest = held[slot];
            if (oldest != null) {
                pool.put(oldest);
            }
            int size = workload.size(next++);
            ByteBuffer buffer = pool.get(size);
            buffer.put(0, (byte) 1);
            buffer.put(size - 1, (byte) 2);
            held[slot] = buffer;
            return buffer;
        }

        @TearDown(Level.Trial)
        public void close() {
                PoolStats stats = pool.stats();
            for (ByteBuffer buffer : held) {
                if (buffer != null) {
                    pool.put(buffer);
                }
            }
            pool.close();
            System.out.printf("%n[mixed] %s, %d buffers per shard, budget %.2f x peak live (%d bytes): measured hit rate %.4f, "
                            + "pooled bytes at end %d = %.3f x peak live, evictions %d, allocated %d bytes%n",
                    policy, maxBuffersPerShard, budgetPerPeakLiveByte, workload.peakLiveBytes(),
                    (double) trialHits / Math.max(1, trialHits + trialMisses), stats.pooledBytes(),
                    (double) stats.pooledBytes() / workload.peakLiveBytes(), stats.evictions(), stats.allocatedBytes());
        }
    }

    /**
     * Hit and memory counters per measurement iteration, as JMH secondary results. Deltas are taken
     * against the statistics the {@link Run} saw at the end of the previous iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        public long hits;
        public long misses;
        public long pooledBytes;
        public long peakLiveBytes;
        Run run;

        @TearDown(Level.Iteration)
        public void finish(IterationParams iteration) {
            PoolStats start = run.lastStats;
            PoolStats end = run.pool.stats();
            run.lastStats = end;
            hits = end.tlsHits() + end.shardHits() - start.tlsHits() - start.shardHits();
            misses = end.misses() - start.misses();
            pooledBytes = end.pooledBytes();
            peakLiveBytes = run.workload.peakLiveBytes();
            if (iteration.getType() == IterationType.MEASUREMENT) { // steady state only, for the printed summary
                run.trialHits += hits;
                run.trialMisses += misses;
            }
        }
    }
}
