package dev.zeropool;

import java.lang.System.Logger.Level;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Finds buffers taken with {@code get}, never returned, and collected: tracked buffers are held weakly
 * with the stack of their {@code get}; {@code put} stops the tracking, so a tracked buffer that the
 * garbage collector clears was leaked. Each leak is logged once and counted. Thread-safe.
 *
 * <p>The pool holds the buffers it keeps strongly, so a returned buffer can be cleared only after the
 * pool drops it, and by then its tracking was stopped by its {@code put}.
 */
final class LeakDetector {

    /** Mean sampling interval of {@link LeakDetection#SAMPLED}. */
    static final int SAMPLE_INTERVAL = 128;

    private final LeakDetection mode;
    private final System.Logger log;
    private final WeakIdentityTable<Leak> table = new WeakIdentityTable<>();
    private final LongAdder leaks = new LongAdder();

    /** A tracked buffer and where it was taken. */
    static final class Leak extends WeakIdentityTable.Entry {
        final Throwable takenAt;
        final int capacity;

        Leak(ByteBuffer buffer, ReferenceQueue<ByteBuffer> queue, Throwable takenAt) {
            super(buffer, queue);
            this.takenAt = takenAt;
            this.capacity = buffer.capacity();
        }
    }

    LeakDetector(LeakDetection mode, System.Logger log) {
        this.mode = mode;
        this.log = log;
    }

    boolean enabled() {
        return mode != LeakDetection.OFF;
    }

    /** @return a countdown to the next sampled get: random, so periodic workloads do not alias with it */
    static int nextSampleCountdown() {
        return ThreadLocalRandom.current().nextInt(1, 2 * SAMPLE_INTERVAL);
    }

    /** For threads without a cache: whether to sample this get. */
    boolean sampleWithoutCache() {
        return mode == LeakDetection.ALL || ThreadLocalRandom.current().nextInt(SAMPLE_INTERVAL) == 0;
    }

    boolean trackEvery() {
        return mode == LeakDetection.ALL;
    }

    void track(ByteBuffer buffer, int size) {
        report(table.expunge());
        table.add(new Leak(buffer, table.queue(), new Throwable("leaked buffer taken here, by get(" + size
                + ") on thread " + Thread.currentThread().getName())));
    }

    /**
     * The buffer came back: stop tracking it. An untracked buffer costs a lock-free look into one bucket
     * (usually empty), read-only, so threads returning buffers do not contend.
     */
    void untrack(ByteBuffer buffer) {
        Leak leak = table.find(buffer);
        if (leak != null) {
            table.remove(leak);
        }
    }

    /** Reports leaks the garbage collector has found since the last call. */
    void poll() {
        report(table.expunge());
    }

    private void report(List<Leak> leaked) {
        for (Leak leak : leaked) {
            leaks.increment();
            log.log(Level.WARNING, "ZeroPool leak: a buffer of capacity " + leak.capacity + " was taken with get() "
                    + "and became unreachable without put(); it was taken at:", leak.takenAt);
        }
    }

    /** @return buffers tracked now, including collected ones not yet reported */
    int tracked() {
        return table.size();
    }

    long leaks() {
        return leaks.sum();
    }
}
