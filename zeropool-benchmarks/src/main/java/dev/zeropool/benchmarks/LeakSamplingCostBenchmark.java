package dev.zeropool.benchmarks;

import dev.zeropool.benchmarks.candidates.ZeroPool;
import dev.zeropool.benchmarks.candidates.ZeroPoolEveryGetSampled;
import dev.zeropool.benchmarks.candidates.ZeroPoolNoLeakSampling;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the default leak sampling costs per get+put pair on one thread, measured three ways, because the
 * answer depends on the code around the pool. The pair is {@link GetPutLatencyBenchmark}'s.
 * <ul>
 *   <li>{@code sampled} / {@code off}: the pair alone in JMH's loop, every get served by the thread's
 *       cache. Sampling is never looked at on that path (a due sample is found off it: see the burst),
 *       so the JIT compiles the same loop for both, with no call in it.
 *   <li>{@code sampledWithCall} / {@code offWithCall}: the same plus one call the JIT may not inline,
 *       as service code around a pool always has (I/O, logging, a framework's dispatch).
 *   <li>{@code sampledBurst} / {@code offBurst}: {@value #BURST} buffers taken, then all given back, per
 *       operation (reported per pair): more than the thread cache holds, so most gets go past it, where
 *       the sampling clock is ticked and a due sample found. The difference is what sampling itself
 *       costs: the samples (a stack capture and a spare's view each, about one per 4096 gets) and the
 *       gets a waiting sample sends down the slow path (on average half of 32).
 *   <li>{@code everyGetSampledBurst}: the burst with leak detection {@code ALL}, every get sampled. Its
 *       difference to {@code offBurst} is the cost of one sample; divided by the default's mean sampling
 *       interval (4096 gets) it is what the default's samples cost per pair, a figure large enough to
 *       measure where the default's own difference (a few nanoseconds at most) is smaller than the
 *       drift between JVMs.
 * </ul>
 * Not part of {@code run-all.sh}: the differences are a few nanoseconds, which takes more iterations
 * than that suite's budget allows. {@code zeropool-benchmarks/run-leak-cost.sh} runs the bursts in
 * alternating single-fork rounds, so that drift between JVMs falls on both builds alike, and reports the
 * paired differences; or run it on its own:
 * {@code java -jar zeropool-benchmarks/target/benchmarks.jar LeakSamplingCostBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
@State(Scope.Benchmark)
public class LeakSamplingCostBenchmark {

    /** Buffers out at once in the burst benchmarks: four times the default thread cache. */
    static final int BURST = 16;

    /** Bytes requested. */
    @Param("65536")
    public int size;

    private final ByteBuffer[] burst = new ByteBuffer[BURST];

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

    @Benchmark
    @OperationsPerInvocation(BURST)
    public ByteBuffer[] sampledBurst(ZeroPool candidate) {
        return burst(candidate);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public ByteBuffer[] offBurst(ZeroPoolNoLeakSampling candidate) {
        return burst(candidate);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public ByteBuffer[] everyGetSampledBurst(ZeroPoolEveryGetSampled candidate) {
        return burst(candidate);
    }

    private ByteBuffer[] burst(ZeroPool candidate) {
        for (int i = 0; i < BURST; i++) {
            burst[i] = candidate.take(size);
        }
        for (int i = 0; i < BURST; i++) {
            candidate.give(burst[i]);
        }
        return burst;
    }

    /** Stands for the code around a pool call: does nothing, but the JIT must call it. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void elsewhere() {
    }
}
