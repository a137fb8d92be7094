package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.ArenaFreedAtOnce;
import dev.zeropool.benchmarks.candidates.Floor;
import dev.zeropool.benchmarks.candidates.JettyArrayPool;
import dev.zeropool.benchmarks.candidates.NettyAdaptive;
import dev.zeropool.benchmarks.candidates.ZeroPool;
import dev.zeropool.benchmarks.candidates.ZeroPoolWithoutCaches;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Operations per microsecond, each one the same take / write both ends / give back as
 * {@link GetPutLatencyBenchmark}, with all threads sharing one instance of each candidate. The
 * subclasses fix the thread count ({@link ThroughputOneThreadBenchmark},
 * {@link ThroughputTwoThreadsBenchmark}), so one run yields both and the scaling efficiency,
 * {@code twoThreads / (2 * oneThread)}. On larger machines run a subclass with {@code -t max}.
 *
 * <p>One size by default (64 KiB, a typical I/O buffer) to keep the suite within its time budget;
 * {@code -p size=1024,1048576} measures others. For the same reason the candidates that are one to two
 * orders of magnitude off in {@link GetPutLatencyBenchmark} ({@code allocateHeap}, {@code commonsPool2},
 * {@code allocateDirect}, and {@code nettyPooled}, which does not pool above its chunk size) are measured
 * there only; {@code allocateDirectFreedAtOnce} stays as the cheapest way to do without a pool.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Three warm-up seconds, not one: with two benchmark threads on two cores, the JIT's compiler threads
// get little CPU and had not finished within one (two threads gained 5-7% from the 2nd and 3rd second,
// one thread nothing, in A/B runs of ZeroPool), so the ratio measured compilation, not steady state.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public abstract class AbstractThroughputBenchmark {

    /** Bytes requested. */
    @Param("65536")
    public int size;

    @Benchmark
    public void zeroPool(ZeroPool candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    /**
     * Every call through the shards, as a virtual thread's: with two threads, each on its own shard, it
     * shows whether two shards used by two cores stay off each other's cache lines.
     */
    @Benchmark
    public void zeroPoolWithoutCaches(ZeroPoolWithoutCaches candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void floor(Floor candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }


    /** Runs on JDK 22+ only; see {@link ArenaFreedAtOnce}. */
    @Benchmark
    public void allocateDirectFreedAtOnce(ArenaFreedAtOnce candidate, Blackhole blackhole) {
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
}
