package dev.zeropool;

import java.lang.System.Logger.Level;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Finds buffers taken with {@code get}, never returned, and collected. Thread-safe.
 *
 * <p>A sampled {@code get} hands out not the pool buffer it took but a <em>view</em> (a duplicate) of a
 * spare buffer one byte larger than the size class ({@link SampledSpares}), tracked weakly with the stack
 * of the {@code get}. The tracking entry holds the pool buffer and the spare strongly: the pool buffer
 * stands for the view in the pool's accounting, out on loan until the view comes back, and then it is
 * what the {@code put} returns, while the spare waits for the next sample. So the pool's classes keep
 * their buffers, and a batch taken and returned is taken again without a miss, sampled or not. If the
 * caller drops the view without {@code put}, the garbage collector clears it and the leak is reported
 * once; the pool buffer and the spare go with it, as a leaked buffer would.
 *
 * <p>Why a spare one byte larger: {@code put} must tell a tracked buffer from the pool's own without
 * looking into a table that every thread writes (such a lookup on every {@code put} was most of the time
 * the pool spent at 16 threads), and without spending its fast path on the test. A view's capacity is odd,
 * so it is no size class's (those are multiples of four), and the check of the capacity that every
 * {@code put} makes anyway sends it down the slow path, where the table is read. A {@code put} of a pool
 * buffer reads nothing of the detector's. Unpooled gets (size 0 or above {@code maxBufferSize}), and
 * every get under {@link Validation#STRICT}, whose puts take the slow path anyway, are tracked through a
 * plain duplicate of the buffer ({@link #trackDuplicate}).
 *
 * <p>Which gets are sampled is the thread cache's business ({@link ThreadCache#leakSampleDue}): the hit
 * path never looks at sampling, because any call it makes, however rare, costs the caller's loop its
 * registers.
 */
final class LeakDetector {

    /** Mean sampling interval of {@link LeakDetection#SAMPLED}. */
    static final int SAMPLE_INTERVAL = 4096;
    /**
     * Gets a due sample is spread over, from the one past the cache that finds it due: a leaking get the
     * cache always serves is sampled as long as it recurs within this many gets. Each sample sends on
     * average half of them down the slow path.
     */
    static final int SAMPLE_SPREAD = 32;

    private final LeakDetection mode;
    private final System.Logger log;
    private final WeakIdentityTable<Leak> table = new WeakIdentityTable<>();
    private final LongAdder leaks = new LongAdder();
    private final Consumer<ByteBuffer> release;
    // Pool buffers out on loan as a tracked view; guarded by itself, written once per sample
    private final Set<ByteBuffer> lent = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A tracked view, the buffers behind it, and where it was taken. */
    static final class Leak extends WeakIdentityTable.Entry {
        /** The buffer the get took: a pool buffer, or an unpooled one. */
        final ByteBuffer original;
        /** The memory of the view: a spare of {@link #spareClass}; {@code null} when it is the original's
         *  (see {@link LeakDetector#trackDuplicate}). */
        final ByteBuffer spare;
        final int spareClass;
        final TakenAt takenAt;

        Leak(ByteBuffer handedOut, ByteBuffer original, ByteBuffer spare, int spareClass,
             ReferenceQueue<ByteBuffer> queue, TakenAt takenAt) {
            super(handedOut, queue);
            this.original = original;
            this.spare = spare;
            this.spareClass = spareClass;
            this.takenAt = takenAt;
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
     * @return ticks of a thread cache's leak clock (about one per get, see {@link ThreadCache#leakSampleDue})
     *     until its next sample: 1 under {@code ALL}; else random, so periodic workloads do not alias with it
     */
    int nextSampleTicks() {
        return mode == LeakDetection.ALL ? 1 : ThreadLocalRandom.current().nextInt(1, 2 * SAMPLE_INTERVAL);
    }

    /**
     * @return over how many gets a thread cache spreads a due sample (see {@link ThreadCache#leakSampleDue}):
     *     1 under {@code ALL}, which samples every get
     */
    int sampleSpread() {
        return mode == LeakDetection.ALL ? 1 : SAMPLE_SPREAD;
    }

    /** For threads without a cache: whether to sample this get. */
    boolean sampleWithoutCache() {
        return mode == LeakDetection.ALL || ThreadLocalRandom.current().nextInt(SAMPLE_INTERVAL) == 0;
    }

    /**
     * Starts tracking a get of a pool buffer: returns the view to hand out, a duplicate of the spare,
     * tracked with the calling stack; {@code original} is out on loan until the view comes back.
     *
     * @param original   the pool buffer the get took
     * @param spare      a spare of {@code spareClass} (see {@link SampledSpares})
     */
    ByteBuffer track(ByteBuffer original, ByteBuffer spare, int spareClass, int size) {
        synchronized (lent) {
            lent.add(original);
        }
        ByteBuffer view = spare.duplicate();
        add(new Leak(view, original, spare, spareClass, table.queue(), takenAt(size)));
        return view;
    }

    /**
     * Starts tracking a get through a duplicate of the buffer it took: for an unpooled buffer (whose put
     * takes the slow path anyway), and under {@link Validation#STRICT} (whose every put does, and whose
     * poison must be in the memory the holder uses); the buffer is out on loan until the duplicate comes
     * back. Returns the duplicate, tracked with the calling stack.
     */
    ByteBuffer trackDuplicate(ByteBuffer original, int size) {
        synchronized (lent) {
            lent.add(original);
        }
        ByteBuffer view = original.duplicate();
        add(new Leak(view, original, null, -1, table.queue(), takenAt(size)));
        return view;
    }

    private void add(Leak leak) {
        report(table.expunge());
        table.add(leak);
    }

    private static TakenAt takenAt(int size) {
        return new TakenAt(size, Thread.currentThread().getName());
    }

    /**
     * A buffer that may be a tracked view comes back: stops its tracking.
     *
     * @return its tracking entry, whose {@link Leak#original} is what the put returns to the pool; or
     *     {@code null} if it is not tracked (never was, or already returned)
     */
    Leak untrack(ByteBuffer buffer) {
        Leak leak = table.find(buffer);
        if (leak == null || !table.remove(leak)) {
            return null;
        }
        synchronized (lent) {
            lent.remove(leak.original);
        }
        return leak;
    }

    /**
     * Whether this pool buffer is out now behind a tracked view. Its own state then still reads parked
     * (the view was readied, not it), so a put of it is a second put of an earlier loan that the
     * double-put check alone would take for a plain return, while the pool owes it to the view's put.
     */
    boolean lentBehindView(ByteBuffer original) {
        synchronized (lent) {
            return lent.contains(original);
        }
    }

    /** For tests: the tracking entry of a view, or {@code null} if it is not tracked. */
    Leak entryOf(ByteBuffer handedOut) {
        return table.find(handedOut);
    }

    /** Reports leaks the garbage collector has found since the last call. */
    void poll() {
        report(table.expunge());
    }

    private void report(List<Leak> leaked) {
        for (Leak leak : leaked) { // the buffers behind the view go with it: the pool never takes them back
            synchronized (lent) {
                lent.remove(leak.original);
            }
            release.accept(leak.original);
            leaks.increment();
            log.log(Level.WARNING, "ZeroPool leak: a buffer of capacity " + leak.original.capacity() + " was taken "
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
