package dev.zeropool;

/**
 * Whether the pool reports buffers that were taken with {@code get}, never given back with {@code put},
 * and became unreachable. A leak is reported once through {@link System.Logger} (logger
 * {@code dev.zeropool.BufferPool}, level WARNING) with the stack of the {@code get} that took the
 * buffer, and counted in {@link PoolStats#leaks()}.
 */
public enum LeakDetection {

    /** No tracking, no reports. */
    OFF,

    /**
     * The default: about one {@code get} in 4096 is tracked (it hands out a duplicate of the pooled buffer,
     * held weakly with a captured stack), so the cost is small and a steady leak is still found quickly.
     * Returning an untracked buffer costs one read of its identity hash; only tracked ones touch the
     * tracking table.
     */
    SAMPLED,

    /** Every {@code get} is tracked: finds every leak, costs a stack capture per {@code get}. For tests. */
    ALL
}
