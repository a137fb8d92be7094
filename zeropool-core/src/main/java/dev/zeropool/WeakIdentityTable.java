package dev.zeropool;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Buffers tracked by identity, held weakly: a tracked buffer that nobody else references is collected
 * and its entry comes out of {@link #expunge()}. {@code ByteBuffer.equals} compares content, so no
 * {@code Map} keyed by the buffer would do.
 *
 * <p>Thread-safe. Lookups ({@link #find}) take no lock: they walk a bucket's chain, whose links are
 * volatile; inserts and removals lock one of {@value #STRIPES} stripes, so threads tracking different
 * buffers rarely meet (one lock for the whole table made two threads scale to 1.4x instead of 2x in
 * the benchmarks). A lookup racing a removal may still see the removed entry, which is why callers
 * re-check an entry's state under its own monitor.
 *
 * @param <E> the entry type, carrying what the caller tracks per buffer
 */
final class WeakIdentityTable<E extends WeakIdentityTable.Entry> {

    private static final int BUCKETS = 1024; // fixed: chains stay short for the tracked populations used
    private static final int STRIPES = 64;

    /** A tracked buffer: a weak reference with its identity hash and its chain link. */
    static class Entry extends WeakReference<ByteBuffer> {
        final int hash;
        volatile Entry next;

        Entry(ByteBuffer buffer, ReferenceQueue<ByteBuffer> queue) {
            super(buffer, queue);
            this.hash = System.identityHashCode(buffer);
        }
    }

    private final AtomicReferenceArray<Entry> buckets = new AtomicReferenceArray<>(BUCKETS);
    private final Object[] stripes = new Object[STRIPES];
    private final ReferenceQueue<ByteBuffer> queue = new ReferenceQueue<>();
    private final LongAdder size = new LongAdder(); // written by trackers on all threads: no shared hot line

    WeakIdentityTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    ReferenceQueue<ByteBuffer> queue() {
        return queue;
    }

    /** @return the number of entries, including collected ones not yet expunged (a sum: not for hot paths) */
    int size() {
        return size.intValue();
    }

    @SuppressWarnings("unchecked")
    E find(ByteBuffer buffer) {
        int hash = System.identityHashCode(buffer);
        for (Entry entry = buckets.get(hash & (BUCKETS - 1)); entry != null; entry = entry.next) {
            if (entry.hash == hash && entry.get() == buffer) {
                return (E) entry;
            }
        }
        return null;
    }

    void add(E entry) {
        int bucket = entry.hash & (BUCKETS - 1);
        synchronized (stripes[bucket & (STRIPES - 1)]) {
            entry.next = buckets.get(bucket);
            buckets.set(bucket, entry);
        }
        size.increment();
    }

    /** @return whether the entry was still in the table (so exactly one caller removes it) */
    boolean remove(Entry entry) {
        int bucket = entry.hash & (BUCKETS - 1);
        synchronized (stripes[bucket & (STRIPES - 1)]) {
            Entry previous = null;
            for (Entry current = buckets.get(bucket); current != null; current = current.next) {
                if (current == entry) {
                    if (previous == null) {
                        buckets.set(bucket, current.next);
                    } else {
                        previous.next = current.next;
                    }
                    size.decrement();
                    return true;
                }
                previous = current;
            }
            return false;
        }
    }

    /** Removes and returns the entries whose buffer was collected. */
    @SuppressWarnings("unchecked")
    List<E> expunge() {
        List<E> collected = null;
        for (Object cleared; (cleared = queue.poll()) != null; ) {
            if (remove((Entry) cleared)) {
                if (collected == null) {
                    collected = new ArrayList<>();
                }
                collected.add((E) cleared);
            }
        }
        return collected == null ? List.of() : collected;
    }
}
