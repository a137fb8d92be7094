package dev.zeropool;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Buffers tracked by identity, held weakly: a tracked buffer that nobody else references is collected
 * and its entry comes out of {@link #expunge()}. {@code ByteBuffer.equals} compares content, so no
 * {@code Map} keyed by the buffer would do.
 *
 * <p>Thread-safe. Lookups ({@link #find}) take no lock: they walk a bucket's chain, whose links are
 * volatile; inserts and removals lock the table. A lookup racing a removal may still see the removed
 * entry, which is why callers re-check an entry's state under its own monitor.
 *
 * @param <E> the entry type, carrying what the caller tracks per buffer
 */
final class WeakIdentityTable<E extends WeakIdentityTable.Entry> {

    private static final int BUCKETS = 1024; // fixed: chains stay short for the tracked populations used

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
    private final ReferenceQueue<ByteBuffer> queue = new ReferenceQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    ReferenceQueue<ByteBuffer> queue() {
        return queue;
    }

    /** @return the number of entries, including collected ones not yet expunged */
    int size() {
        return size.get();
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

    synchronized void add(E entry) {
        int bucket = entry.hash & (BUCKETS - 1);
        entry.next = buckets.get(bucket);
        buckets.set(bucket, entry);
        size.incrementAndGet();
    }

    /** @return whether the entry was still in the table (so exactly one caller removes it) */
    synchronized boolean remove(Entry entry) {
        int bucket = entry.hash & (BUCKETS - 1);
        Entry previous = null;
        for (Entry current = buckets.get(bucket); current != null; current = current.next) {
            if (current == entry) {
                if (previous == null) {
                    buckets.set(bucket, current.next);
                } else {
                    previous.next = current.next;
                }
                size.decrementAndGet();
                return true;
            }
            previous = current;
        }
        return false;
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
