package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPool} with leak detection off, validation still {@code FAST} and statistics on:
 * the difference to {@link ZeroPool} is the amortised price of sampling one get in 128 (a stack capture).
 */
@State(Scope.Benchmark)
public class ZeroPoolNoLeakSampling extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.leakDetection(LeakDetection.OFF);
    }
}
