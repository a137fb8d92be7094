package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Candidate: ZeroPool exactly as {@code BufferPool.builder().build()} makes it, the pool a service gets
 * without tuning: thread-cache size, shard count and buffers per shard derived from the CPU count,
 * statistics (always on), validation ({@code FAST}), leak detection ({@code SAMPLED}, about one get in
 * 4096 captures a stack), and a byte bound of a quarter of the JVM's direct-memory limit. Every benchmark
 * fork sets {@code -XX:MaxDirectMemorySize}, so that bound is known (256 MiB for the usual 1 GiB).
 *
 * <p>At the end of each trial it prints its {@link PoolUsage} (hit rate, misses, drops) over the whole
 * trial and over the measured iterations only, tagged {@code [zeroPool]}, so a results log shows whether
 * the defaults kept the benchmark's working set.
 */
@State(Scope.Benchmark)
public class ZeroPool {

    private BufferPool pool;
    private PoolUsage atMeasurementStart;

    @Setup(Level.Trial)
    public void open() {
        pool = configure(BufferPool.builder()).build();
    }

    /** Variants switch off one guarantee at a time, so its cost shows as a difference. */
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder;
    }

    /** Remembers the counters when the first measured iteration starts: the rest of the trial is steady state. */
    @Setup(Level.Iteration)
    public void markMeasurement(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && atMeasurementStart == null) {
            atMeasurementStart = usage();
        }
    }

    @TearDown(Level.Trial)
    public void close(BenchmarkParams benchmark) {
        PoolUsage trial = usage();
        pool.close();
        String name = benchmark.getBenchmark();
        String params = benchmark.getParamsKeys().stream().map(key -> " " + key + "=" + benchmark.getParam(key))
                .collect(Collectors.joining());
        System.out.printf("%n[zeroPool] %s%s: trial: %s; measured iterations: %s%n",
                name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), params, trial,
                atMeasurementStart == null ? "none" : trial.minus(atMeasurementStart));
    }

    /** @return the pool's counters now */
    public PoolUsage usage() {
        return PoolUsage.of(pool.stats());
    }

    public void cycle(int size, Blackhole blackhole) {
        ByteBuffer buffer = pool.get(size);
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
        pool.put(buffer);
    }

    /** Takes a buffer of {@code size} bytes and writes both ends; the caller owns it until {@link #give}. */
    public ByteBuffer take(int size) {
        ByteBuffer buffer = pool.get(size);
        Touch.ends(buffer, size);
        return buffer;
    }

    /** Gives back a buffer from {@link #take}, from any thread. */
    public void give(ByteBuffer buffer) {
        pool.put(buffer);
    }
}
