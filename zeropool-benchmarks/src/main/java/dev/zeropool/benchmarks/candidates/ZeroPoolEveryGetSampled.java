package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPool} with leak detection {@code ALL}, which samples every get: its difference to
 * {@link ZeroPoolNoLeakSampling} is what one sample costs (a stack capture, a spare's view, the tracking
 * entry, and the view's put), the figure that, divided by the default's sampling interval, bounds what the
 * default's samples cost per pair, without the drift between JVMs that a few-nanosecond difference drowns in.
 */
@State(Scope.Benchmark)
public class ZeroPoolEveryGetSampled extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.leakDetection(LeakDetection.ALL);
    }
}
