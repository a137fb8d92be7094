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
     * The default: about one {@code get} in 4096 is tracked, so the cost is small and a steady leak is
     * still found quickly. Gets and puts served by the thread's own cache never look at sampling. A
     * thread's sample falls due after about 4096 of its gets (counted as the puts its cache keeps and the
     * gets it cannot serve) and is found by its next call off that path: a {@code get} the cache cannot
     * serve (a leak leaves the cache short, so a leaking thread gets there), a {@code put} the cache has
     * no room for, or its first call after a {@link BufferPool#trim()}. The sample is then taken at one of
     * the 32 gets from there on (a get that found it included), at random, wherever they are served.
     * Virtual threads, and every thread when thread caches are off, sample one get in 4096 at random.
     *
     * <p>A tracked {@code get} hands out a view of a spare buffer one byte larger than the size class
     * (so its capacity is no class's: odd), held weakly with a captured stack; the pool buffer it took is
     * out on loan behind the view, and the view's {@code put} returns it (its content is not the view's).
     * Returning an untracked buffer costs nothing beyond what every {@code put} does: the capacity check
     * it makes anyway sends only tracked ones to the tracking table.
     */
    SAMPLED,

    /**
     * Every {@code get} is tracked: finds every leak, costs a stack capture per {@code get}, and every
     * buffer of a pooled size handed out is a spare's view (one byte over its class; a fresh spare while
     * none of the class is idle), so the pool holds up to twice the memory; under
     * {@link Validation#STRICT}, and for unpooled sizes, a duplicate of the buffer instead. For tests.
     */
    ALL
}
