package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPool} with leak detection off, validation still {@code FAST} and statistics on:
 * the difference to {@link ZeroPool} is what sampling about one get in 4096 costs (a stack capture per
 * sample, and the rarely taken call the JIT then compiles into the inlined get and put).
 */
@State(Scope.Benchmark)
public class ZeroPoolNoLeakSampling extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.leakDetection(LeakDetection.OFF);
    }
}
