package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.AllocateDirect;
import dev.zeropool.benchmarks.candidates.AllocateHeap;
import dev.zeropool.benchmarks.candidates.ArenaFreedAtOnce;
import dev.zeropool.benchmarks.candidates.CommonsPool2;
import dev.zeropool.benchmarks.candidates.Floor;
import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.NettyPooled;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import dev.zeropool.benchmarks.candidates.ZeroPoolNoLeakSampling;
import dev.zeropool.benchmarks.candidates.ZeroPoolValidationOff;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a caller pays for one buffer, on one thread: the average time of take a buffer of
 * {@code size} bytes, write a byte at each end, give it back (or drop it). Every candidate does exactly
 * that, so the ratios are the point: ZeroPool against the {@code floor} (the least a pool can do),
 * against each peer pool, and against not pooling at all. The pooled candidates reach their steady
 * state (a hit every time) during warm-up; the allocating ones pay their full cost every time,
 * including, for {@code allocateDirect}, the GC that frees the memory.
 *
 * <p>Heap allocation per operation: add {@code -prof gc} and read {@code gc.alloc.rate.norm}
 * (bytes/op); ZeroPool's target is 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class GetPutLatencyBenchmark {

    /**
     * Bytes requested: a small message, a socket/file buffer, a large chunk. 1 MiB is left out to keep
     * the suite within its time budget: it showed no case the others do not (each pool pooled it as it
     * pooled 64 KiB, or stopped pooling it as it did at 4 MiB); {@code -p size=1048576} measures it.
     */
    @Param({"1024", "65536", "4194304"})
    public int size;

    @Benchmark
    public void zeroPool(ZeroPool candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    /** ZeroPool without leak sampling: FAST validation and statistics on. */
    @Benchmark
    public void zeroPoolNoLeakSampling(ZeroPoolNoLeakSampling candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    /** ZeroPool without leak sampling and without double-put detection: statistics only. */
    @Benchmark
    public void zeroPoolValidationOff(ZeroPoolValidationOff candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void floor(Floor candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void allocateDirect(AllocateDirect candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    /** Runs on JDK 22+ only; see {@link ArenaFreedAtOnce}. */
    @Benchmark
    public void allocateDirectFreedAtOnce(ArenaFreedAtOnce candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void allocateHeap(AllocateHeap candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void nettyPooled(NettyPooled candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void nettyAdaptive(NettyAdaptive candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void jettyArrayPool(JettyArrayPool candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void commonsPool2(CommonsPool2 candidate, Blackhole blackhole) throws Exception {
        candidate.cycle(size, blackhole);
    }
}
