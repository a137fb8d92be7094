package dev.zeropool.benchmarks.candidates;

import dev.zeropool.BufferPool;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Candidate: {@link ZeroPool} with thread caches off ({@code tlsCacheSize(0)}), so that every get and put
 * of a platform thread goes to its home shard, as a virtual thread's always does. Threads created one
 * after another (as JMH's workers are) have neighbouring homes, so its throughput by thread count shows
 * whether the shared tier scales when every call takes a shard's lock: threads on different shards should
 * not slow each other down.
 */
@State(Scope.Benchmark)
public class ZeroPoolWithoutCaches extends ZeroPool {

    @Override
    BufferPool.Builder configure(BufferPool.Builder builder) {
        return builder.tlsCacheSize(0);
    }
}
