package dev.zeropool;

import java.nio.ByteBuffer;

/**
 * {@link Validation#STRICT}: tracks every buffer the pool hands out (weakly, by identity) with the stack
 * of the {@code get} that took it and of the {@code put} that returned it, and poisons returned buffers.
 * Thread-safe: each buffer's record is checked and changed under the record's own monitor, so two threads
 * putting the same buffer at once cannot both succeed.
 */
final class StrictValidator {

    private final WeakIdentityTable<Tracked> table = new WeakIdentityTable<>();
    private final Poison poison = new Poison((byte) 0xA5);

    /** What STRICT knows about one buffer. */
    static final class Tracked extends WeakIdentityTable.Entry {
        private boolean pooled;       // guarded by this
        private Throwable takenAt;    // guarded by this
        private Throwable returnedAt; // guarded by this

        Tracked(ByteBuffer buffer, java.lang.ref.ReferenceQueue<ByteBuffer> queue) {
            super(buffer, queue);
        }
    }

    /**
     * A buffer is handed out. A reused one must still hold the poison it got when it was put.
     *
     * @throws IllegalStateException if someone wrote into the buffer after putting it
     */
    void onGet(ByteBuffer buffer, int size) {
        table.expunge(); // forget collected buffers; reporting them is leak detection's job
        Tracked tracked = table.find(buffer);
        if (tracked == null) {
            tracked = new Tracked(buffer, table.queue());
            table.add(tracked);
        } else {
            synchronized (tracked) {
                int written = poison.firstDifference(buffer);
                if (written >= 0) {
                    table.remove(tracked);
                    IllegalStateException e = new IllegalStateException("buffer written after it was put "
                            + "(STRICT validation): byte " + written + " of " + buffer.capacity() + " is 0x"
                            + Integer.toHexString(buffer.duplicate().clear().get(written) & 0xFF) + ", not the poison 0xa5 it got on put; "
                            + "the holder that returned it (cause: where) kept using it. The pool dropped it.",
                            tracked.returnedAt);
                    e.addSuppressed(tracked.takenAt);
                    throw e;
                }
            }
        }
        synchronized (tracked) {
            tracked.pooled = false;
            tracked.takenAt = new Throwable("buffer taken here, by get(" + size + ") on thread "
                    + Thread.currentThread().getName());
            tracked.returnedAt = null;
        }
    }

    /**
     * A buffer comes back: it must be one this pool handed out and that is not in the pool already.
     * Poisons it.
     *
     * @throws IllegalArgumentException for a buffer this pool did not hand out (foreign, a view, or dropped)
     * @throws IllegalStateException for a buffer put twice, by whatever threads
     */
    void onPut(ByteBuffer buffer) {
        markReturned(buffer, "put", "buffer put twice (STRICT validation): it was already returned by the put "
                + "in the cause, on thread " + Thread.currentThread().getName() + " it is put again; see "
                + "suppressed for where it was taken");
        poison.fill(buffer);
    }

    /**
     * Marks a buffer returned by {@code call} (put or discard), under its record's lock, so that of two
     * racing returns exactly one passes.
     *
     * @param twice the message when it is returned already
     * @return its record
     */
    private Tracked markReturned(ByteBuffer buffer, String call, String twice) {
        Tracked tracked = table.find(buffer);
        if (tracked == null) {
            throw new IllegalArgumentException("buffer was not handed out by this pool (STRICT validation): a "
                    + "foreign buffer, a slice or duplicate of a pooled buffer, or one the pool already dropped "
                    + "after an earlier put or discard; " + call + "() takes exactly the buffer get() returned");
        }
        synchronized (tracked) {
            if (tracked.pooled) {
                IllegalStateException e = new IllegalStateException(twice, tracked.returnedAt);
                e.addSuppressed(tracked.takenAt);
                throw e;
            }
            tracked.pooled = true;
            tracked.returnedAt = new Throwable("buffer returned here, by " + call + "() on thread "
                    + Thread.currentThread().getName());
        }
        return tracked;
    }

    /**
     * A leak-sampled get's duplicate came back, and its put returns {@code original}, the buffer behind
     * it: the duplicate is remembered as returned (weakly, as every record), so that a second put of it is
     * refused as a second put, not as a stranger's buffer.
     */
    void onViewReturned(ByteBuffer view, ByteBuffer original) {
        Tracked behind = table.find(original);
        Throwable takenAt;
        if (behind != null) {
            synchronized (behind) {
                takenAt = behind.takenAt;
            }
        } else {
            takenAt = null;
        }
        Tracked returned = new Tracked(view, table.queue());
        synchronized (returned) {
            returned.pooled = true;
            returned.takenAt = takenAt != null ? takenAt : new Throwable("buffer taken by a leak-sampled get()");
            returned.returnedAt = new Throwable("buffer returned here, by put() on thread "
                    + Thread.currentThread().getName());
        }
        table.add(returned);
    }

    /**
     * A holder gives a buffer up ({@link BufferPool#discard}): it must be one this pool handed out and
     * that is out now. STRICT then forgets it, so a later put or discard of it is refused.
     *
     * @throws IllegalArgumentException for a buffer this pool did not hand out (foreign, a view, or dropped)
     * @throws IllegalStateException for a buffer put or discarded already, by whatever threads (while the
     *     record lasts; once forgotten, the buffer is refused as not handed out)
     */
    void onDiscard(ByteBuffer buffer) {
        Tracked tracked = markReturned(buffer, "discard", "buffer discarded after it was put or discarded "
                + "(STRICT validation): see the cause for where");
        table.remove(tracked); // marked first: a put or discard racing this one is refused
    }

    /** The pool no longer holds the buffer (dropped, evicted, closed over): stop tracking it. */
    void onForget(ByteBuffer buffer) {
        Tracked tracked = table.find(buffer);
        if (tracked != null) {
            table.remove(tracked);
        }
    }
}
