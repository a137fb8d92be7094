package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.ZeroPool;
import dev.zeropool.benchmarks.candidates.ZeroPoolNoLeakSampling;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the default leak sampling costs per get+put pair on one thread, measured two ways, because the
 * answer depends on the code around the pool. The pair is {@link GetPutLatencyBenchmark}'s.
 * <ul>
 *   <li>{@code sampled} / {@code off}: the pair alone in JMH's loop. With sampling off, the JIT turns
 *       every rarely taken path of the inlined {@code get} and {@code put} into a trap, no call is left
 *       in the loop, and it can keep the pool's fields in registers across iterations. A sampled get
 *       does take its path (about once in 4096), so that call stays, and the fields are read again on
 *       every iteration.
 *   <li>{@code sampledWithCall} / {@code offWithCall}: the same plus one call the JIT may not inline,
 *       as service code around a pool always has (I/O, logging, a framework's dispatch). Both then
 *       read the fields again on every iteration, and the difference is what sampling itself costs:
 *       the samples (a stack capture and a spare's view each, about once in 4096 gets); the countdown
 *       on get runs in both, and put's fast path reads nothing of leak detection's.
 * </ul>
 * Not part of {@code run-all.sh}: the differences are a few nanoseconds, which takes more iterations
 * than that suite's budget allows. Run it on its own:
 * {@code java -jar zeropool-benchmarks/target/benchmarks.jar LeakSamplingCostBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class LeakSamplingCostBenchmark {

    /** Bytes requested. */
    @Param("65536")
    public int size;

    @Benchmark
    public void sampled(ZeroPool candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void off(ZeroPoolNoLeakSampling candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
    }

    @Benchmark
    public void sampledWithCall(ZeroPool candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
        elsewhere();
    }

    @Benchmark
    public void offWithCall(ZeroPoolNoLeakSampling candidate, Blackhole blackhole) {
        candidate.cycle(size, blackhole);
        elsewhere();
    }

    /** Stands for the code around a pool call: does nothing, but the JIT must call it. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void elsewhere() {
    }
}
