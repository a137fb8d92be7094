package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPool} with leak detection off, validation still {@code FAST} and statistics on:
 * the difference to {@link ZeroPool} is what sampling about one get in 4096 costs (a stack capture per
 * sample, and the calls a waiting sample sends down the slow path; none on a thread whose cache serves
 * every get, which never looks at sampling).
 */
@State(Scope.Benchmark)
public class ZeroPoolNoLeakSampling extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.leakDetection(LeakDetection.OFF);
    }
}
