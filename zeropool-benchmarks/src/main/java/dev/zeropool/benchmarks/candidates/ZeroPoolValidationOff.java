package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import dev.zeropool.Validation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPoolNoLeakSampling} with validation {@code OFF} as well: the difference between
 * the two is what {@code FAST} validation (double-put detection) costs per get+put.
 */
@State(Scope.Benchmark)
public class ZeroPoolValidationOff extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.leakDetection(LeakDetection.OFF).validation(Validation.OFF);
    }
}
