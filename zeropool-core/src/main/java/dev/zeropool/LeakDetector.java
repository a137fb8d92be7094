package dev.zeropool;

import java.lang.System.Logger.Level;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Finds buffers taken with {@code get}, never returned, and collected. Thread-safe.
 *
 * <p>A sampled {@code get} hands out not a pooled buffer but a <em>view</em> (a duplicate) of a spare
 * buffer one byte larger than the size class ({@link SampledSpares}), tracked weakly with the stack of
 * the {@code get}; the tracking entry holds the spare strongly, and the pool buffer the {@code get} took
 * goes back to where it came from, unused. If the caller drops the view without {@code put}, the garbage
 * collector clears it and the leak is reported once.
 *
 * <p>Why a spare one byte larger: {@code put} must tell a tracked buffer from the pool's own without
 * looking into a table that every thread writes (such a lookup on every {@code put} was most of the time
 * the pool spent at 16 threads), and without spending its fast path on the test. A view's capacity is odd,
 * so it is no size class's (those are multiples of four), and the check of the capacity that every
 * {@code put} makes anyway sends it down the slow path, where the table is read. A {@code put} of a pool
 * buffer reads nothing of the detector's. Unpooled gets (size 0 or above {@code maxBufferSize}), which
 * take the slow path anyway, are tracked through a plain duplicate of the fresh buffer.
 */
final class LeakDetector {

    /** Mean sampling interval of {@link LeakDetection#SAMPLED}. */
    static final int SAMPLE_INTERVAL = 4096;

    private final LeakDetection mode;
    private final System.Logger log;
    private final WeakIdentityTable<Leak> table = new WeakIdentityTable<>();
    private final LongAdder leaks = new LongAdder();
    private final Consumer<ByteBuffer> release;

    /** A tracked view, the buffer behind it, and where it was taken. */
    static final class Leak extends WeakIdentityTable.Entry {
        final ByteBuffer original;
        /** The class whose spare {@link #original} is; -1 for an unpooled buffer. */
        final int spareClass;
        final TakenAt takenAt;

        Leak(ByteBuffer handedOut, ByteBuffer original, int spareClass, ReferenceQueue<ByteBuffer> queue,
             TakenAt takenAt) {
            super(handedOut, queue);
            this.original = original;
            this.spareClass = spareClass;
            this.takenAt = takenAt;
        }

        /** The capacity the get's size class has (a spare has one byte more), or the unpooled buffer's. */
        int pooledCapacity() {
            return spareClass >= 0 ? original.capacity() - 1 : original.capacity();
        }
    }

    /** The stack of a sampled get; its message is built only when a leak is reported. */
    static final class TakenAt extends Throwable {
        private static final long serialVersionUID = 1L;
        private final int size;
        private final String thread;

        TakenAt(int size, String thread) {
            this.size = size;
            this.thread = thread;
        }

        @Override
        public String getMessage() {
            return "leaked buffer taken here, by get(" + size + ") on thread " + thread;
        }
    }

    /** @param release what to do with the buffer behind a leaked view: unpin it, if the pool pinned it */
    LeakDetector(LeakDetection mode, System.Logger log, Consumer<ByteBuffer> release) {
        this.mode = mode;
        this.log = log;
        this.release = release;
    }

    /**
     * @return gets until a thread cache's next sampled one: 1 under {@code ALL}; else random, so periodic
     *     workloads do not alias with it
     */
    int nextSampleCountdown() {
        return mode == LeakDetection.ALL ? 1 : ThreadLocalRandom.current().nextInt(1, 2 * SAMPLE_INTERVAL);
    }

    /** For threads without a cache: whether to sample this get. */
    boolean sampleWithoutCache() {
        return mode == LeakDetection.ALL || ThreadLocalRandom.current().nextInt(SAMPLE_INTERVAL) == 0;
    }

    /**
     * Starts tracking a get: returns the view to hand out, a duplicate of {@code original}, tracked with
     * the calling stack.
     *
     * @param original   a spare of {@code spareClass} (see {@link SampledSpares}), or an unpooled buffer
     * @param spareClass the spare's size class, or -1 for an unpooled buffer
     */
    ByteBuffer track(ByteBuffer original, int spareClass, int size) {
        ByteBuffer view = original.duplicate();
        report(table.expunge());
        table.add(new Leak(view, original, spareClass, table.queue(),
                new TakenAt(size, Thread.currentThread().getName())));
        return view;
    }

    /**
     * A buffer that may be a tracked view comes back: stops its tracking.
     *
     * @return its tracking entry, or {@code null} if it is not tracked (never was, or already returned)
     */
    Leak untrack(ByteBuffer buffer) {
        Leak leak = table.find(buffer);
        return leak != null && table.remove(leak) ? leak : null;
    }

    /** For tests: the buffer behind a tracked view, or {@code null} if it is not tracked. */
    ByteBuffer originalOf(ByteBuffer handedOut) {
        Leak leak = table.find(handedOut);
        return leak == null ? null : leak.original;
    }

    /** Reports leaks the garbage collector has found since the last call. */
    void poll() {
        report(table.expunge());
    }

    private void report(List<Leak> leaked) {
        for (Leak leak : leaked) { // the buffer behind the view goes with it: the pool never took it back
            release.accept(leak.original);
            leaks.increment();
            log.log(Level.WARNING, "ZeroPool leak: a buffer of capacity " + leak.pooledCapacity() + " was taken "
                    + "with get() and became unreachable without put(); it was taken at:", leak.takenAt);
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
