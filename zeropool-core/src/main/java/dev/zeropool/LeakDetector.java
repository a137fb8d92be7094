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

/**
 * Finds buffers taken with {@code get}, never returned, and collected. Thread-safe.
 *
 * <p>A sampled {@code get} hands out not the pooled buffer itself but a <em>duplicate</em> of it (same
 * memory, same position, limit and capacity, big-endian), tracked weakly with the stack of the
 * {@code get}; the pool keeps the original strongly in the tracking entry. If the caller drops the
 * duplicate without {@code put}, the garbage collector clears it and the leak is reported once.
 *
 * <p>Why a duplicate: {@code put} must tell a tracked buffer from an untracked one without looking into
 * a table that every thread writes (such a lookup on every {@code put} was most of the time the pool
 * spent at 16 threads). Tracked duplicates are chosen so that their identity hash carries a
 * {@linkplain #isTagged tag}, and the pool's own buffers are chosen so that theirs does not
 * ({@link #untagged}). A {@code put} reads the buffer's identity hash, in its own object header: only a
 * tagged buffer (a sampled one) pays for the table. A tagged buffer the table does not know was already
 * returned, or is not this pool's: it is refused rather than pooled, since its memory may be in the pool
 * already. The rare pool buffer whose hash could not be untagged is remembered by identity
 * ({@link #rememberTaggedOriginal}), in a set written only when such a buffer is allocated or dropped.
 */
final class LeakDetector {

    /** Mean sampling interval of {@link LeakDetection#SAMPLED}. */
    static final int SAMPLE_INTERVAL = 4096;

    /** Identity-hash bits that mark a tracked duplicate: bits 4-6, so address-like hashes work too. */
    private static final int TAG_SHIFT = 4;
    private static final int TAG_MASK = 0x7;
    private static final int TAG = 0x5;
    /** A duplicate carries the tag with probability 1/8 per try: 64 tries fail about once in 5000. */
    private static final int TAG_TRIES = 64;

    private final LeakDetection mode;
    private final System.Logger log;
    private final WeakIdentityTable<Leak> table = new WeakIdentityTable<>();
    private final Set<ByteBuffer> taggedOriginals = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by itself
    // Originals whose memory is out as a tracked duplicate; guarded by itself, written once per sample
    private final Set<ByteBuffer> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private final LongAdder leaks = new LongAdder();

    /** A tracked duplicate, the pooled buffer behind it, and where it was taken. */
    static final class Leak extends WeakIdentityTable.Entry {
        final ByteBuffer original;
        final TakenAt takenAt;

        Leak(ByteBuffer handedOut, ByteBuffer original, ReferenceQueue<ByteBuffer> queue, TakenAt takenAt) {
            super(handedOut, queue);
            this.original = original;
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

    LeakDetector(LeakDetection mode, System.Logger log) {
        this.mode = mode;
        this.log = log;
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

    /** Whether the buffer's identity hash carries the tag of a tracked duplicate. One header read. */
    static boolean isTagged(ByteBuffer buffer) {
        return (System.identityHashCode(buffer) & (TAG_MASK << TAG_SHIFT)) == TAG << TAG_SHIFT; // and + compare
    }

    /** A new buffer as the pool will keep it: itself, or a duplicate whose identity hash has no tag. */
    static ByteBuffer untagged(ByteBuffer fresh) {
        ByteBuffer buffer = fresh;
        for (int tries = 0; tries < TAG_TRIES && isTagged(buffer); tries++) {
            buffer = fresh.duplicate();
        }
        return buffer;
    }

    /** A pool buffer that {@link #untagged} could not untag: remember it, so its puts are accepted. */
    void rememberTaggedOriginal(ByteBuffer original) {
        synchronized (taggedOriginals) {
            taggedOriginals.add(original);
        }
    }

    /** The pool stops holding a buffer; if it was a remembered tagged original, forget it. */
    void forget(ByteBuffer buffer) {
        if (isTagged(buffer)) {
            synchronized (taggedOriginals) {
                taggedOriginals.remove(buffer);
            }
        }
    }

    /**
     * Starts tracking a get: returns the buffer to hand out, a tagged duplicate of {@code original} in its
     * current state, tracked with the calling stack; or {@code original} itself, untracked, in the rare
     * case that no tagged duplicate was found.
     */
    ByteBuffer track(ByteBuffer original, int size) {
        ByteBuffer handedOut = null;
        for (int tries = 0; tries < TAG_TRIES && handedOut == null; tries++) {
            ByteBuffer duplicate = original.duplicate();
            if (isTagged(duplicate)) {
                handedOut = duplicate;
            }
        }
        if (handedOut == null) {
            return original;
        }
        report(table.expunge());
        table.add(new Leak(handedOut, original, table.queue(), new TakenAt(size, Thread.currentThread().getName())));
        synchronized (lent) {
            lent.add(original);
        }
        return handedOut;
    }

    /**
     * A tagged buffer comes back. Stops its tracking.
     *
     * @return the pooled buffer to take back: the original behind a tracked duplicate, or the buffer
     *     itself when it is a remembered tagged original; {@code null} when it is neither (the duplicate
     *     was already returned, or the buffer is not this pool's)
     */
    ByteBuffer untrack(ByteBuffer tagged) {
        Leak leak = table.find(tagged);
        if (leak != null && table.remove(leak)) {
            synchronized (lent) {
                lent.remove(leak.original);
            }
            return leak.original;
        }
        synchronized (taggedOriginals) {
            return taggedOriginals.contains(tagged) ? tagged : null;
        }
    }

    /**
     * Whether this pool buffer's memory is out now as a tracked duplicate. Its own state then still reads
     * parked (the duplicate was readied, not it), so a put of it is a second put of an earlier loan that
     * the double-put check alone would take for a plain return, while the memory has a holder.
     */
    boolean lentAsDuplicate(ByteBuffer original) {
        synchronized (lent) {
            return lent.contains(original);
        }
    }

    /** For tests: the pool buffer behind a tracked duplicate, or {@code null} if it is not tracked. */
    ByteBuffer originalOf(ByteBuffer handedOut) {
        Leak leak = table.find(handedOut);
        return leak == null ? null : leak.original;
    }

    /** Reports leaks the garbage collector has found since the last call. */
    void poll() {
        report(table.expunge());
    }

    private void report(List<Leak> leaked) {
        for (Leak leak : leaked) {
            synchronized (lent) {
                lent.remove(leak.original); // the pool never takes it back: it goes with its leaked duplicate
            }
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
