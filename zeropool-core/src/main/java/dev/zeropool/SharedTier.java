package dev.zeropool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tier below the per-thread caches, where buffers meet across threads: a power-of-two number of
 * {@link Shard}s, each thread homed on one by its id ({@link Threads#hash}). Thread-safe.
 *
 * <p>The rules it keeps, and how:
 * <ul>
 *   <li><b>Nothing is dropped while there is room.</b> A shard's count bound is, by default, as large as
 *       the byte budget could ever fill, so only the budget binds. A shard whose explicit count bound is
 *       reached spills the buffer to another shard with room before its eviction policy decides.
 *   <li><b>Nothing idle is missed.</b> A get that finds its home shard empty looks at every other
 *       shard whose count says it holds the class, first without waiting for a busy lock and then,
 *       if none served it, waiting for each busy one in turn: a busy lock is never a reason to
 *       allocate. Then it looks once more at every shard that says it holds the class, because another
 *       get's steal may have moved a batch into a shard this one had already passed. Only a buffer that
 *       reaches a shard after the get's last look there can be missed: one put there meanwhile, or a
 *       batch that steals moved twice while this get searched.
 *   <li><b>Hand-off at full speed.</b> A get served by another shard takes one buffer and moves up to
 *       the rest of what that shard holds of the class (at most {@link Shard#STEAL_BATCH}) to the getter's
 *       home, so a consumer returning buffers on one shard and a producer taking them on another meet
 *       once per batch, not once per buffer.
 *   <li><b>No shared write per operation.</b> Threads homed on different shards touch different locks
 *       and lines (shards are padded); the byte budget is reserved in chunks per shard.
 *   <li><b>A busy home is passed over, not waited for.</b> When the home shard's lock is taken, a get or
 *       put first tries the next {@value #NEARBY} shards whose lock is free at once; only if none serves it
 *       does it wait. Threads without a cache (virtual threads) meet the shards on every operation, and
 *       two of them on different carriers with the same home would otherwise alternate on one lock.
 * </ul>
 */
final class SharedTier {

    /** Shards past a busy home that a get or put tries before it waits for the home's lock. */
    static final int NEARBY = 3;

    private final Shard[] shards;
    private final int mask;
    private final int nearby;
    private final long creditChunk;
    private final Consumer<ByteBuffer> evicted;
    private final Runnable refusedPutTwice; // null: puts are not checked (Validation.OFF)

    SharedTier(PoolConfig config, SizeClasses classes, ByteBudget budget, Consumer<ByteBuffer> evicted) {
        this(config, classes, budget, evicted, null);
    }

    /**
     * @param refusedPutTwice when not {@code null}, a {@code put} that finds its very buffer on top of the
     *     shard it goes to is refused with an {@link IllegalStateException}, after this has run (to count it)
     */
    SharedTier(PoolConfig config, SizeClasses classes, ByteBudget budget, Consumer<ByteBuffer> evicted,
               Runnable refusedPutTwice) {
        this.refusedPutTwice = refusedPutTwice;
        this.shards = new Shard[config.numShards()];
        // Each shard may keep up to this much reserved-but-unused budget twice over; at most an eighth
        // of the budget in all, and given back whenever a reservation would otherwise fail.
        this.creditChunk = Math.min(16L << 20, config.maxPooledBytes() / (16L * shards.length));
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i, config.maxBuffersPerShard(), classes, budget, config.evictionPolicy(),
                    creditChunk);
        }
        this.mask = shards.length - 1;
        this.nearby = Math.min(NEARBY, mask);
        this.evicted = evicted;
        budget.reclaimer(this::releaseSpareCredit);
    }

    /**
     * The credit chunk: a shard keeps at most twice this reserved beyond what it holds, and a thread
     * cache reserves at most this ahead. A sixteenth of the budget shared among the shards, at most
     * 16 MiB, so that spare reservations stay small beside what they are spare for.
     */
    long creditChunk() {
        return creditChunk;
    }

    /** For tests: the shard at this index. */
    Shard shard(int index) {
        return shards[index];
    }

    /** The home shard of a thread with this hash. */
    int home(int threadHash) {
        return threadHash & mask;
    }

    /**
     * Takes a buffer of the class for a thread homed on {@code home}, or returns {@code null} when no shard
     * holds one; the caller then allocates and counts the miss ({@link #recordMiss}) once it has the buffer,
     * so that a get that fails to allocate counts nowhere.
     */
    ByteBuffer take(int sizeClass, int home, int stamp) {
        Shard own = shards[home];
        if (!own.tryLock()) {
            ByteBuffer nearby = takeNearby(sizeClass, home);
            if (nearby != null) {
                return nearby;
            }
            own.lock();
        }
        try {
            ByteBuffer buffer = own.popLocked(sizeClass);
            if (buffer != null) {
                return buffer;
            }
            own.missedLocked(sizeClass);
            // Holding our own lock, only try the others' (never wait): two threads stealing from each
            // other's shards must not wait for each other. The shard the last steal found buffers in
            // first: in a hand-off it is where the consumer returns them, and trying it first spares
            // reading every other shard's counts (each a cache miss on a large machine) once per batch.
            int hint = own.victimHintLocked();
            if (hint >= 0 && (buffer = tryStealFrom(shards[hint], own, sizeClass, stamp)) != null) {
                return buffer;
            }
            for (int i = 1; i < shards.length; i++) {
                int victim = (home + i) & mask;
                if (victim != hint && (buffer = tryStealFrom(shards[victim], own, sizeClass, stamp)) != null) {
                    own.victimHintLocked(victim);
                    return buffer;
                }
            }
        } finally {
            own.unlock();
        }
        // Some shards may have been busy: wait for those that still say they hold the class (and, if our
        // own lock is free at once, take a batch home as above). Twice: another get's steal may have moved
        // a batch from a shard not yet looked at into one already passed (our home included), and a
        // second look finds it there; only a batch that moves again during that look can still be missed.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = pass == 0 ? 1 : 0; i < shards.length; i++) {
                Shard other = shards[(home + i) & mask];
                if (other.mayHold(sizeClass)) {
                    ByteBuffer buffer = other == own ? own.take(sizeClass) : takeWaiting(other, own, sizeClass, stamp);
                    if (buffer != null) {
                        return buffer;
                    }
                }
            }
        }
        return null;
    }

    /** Counts a get of the class that no shard could serve and that allocated, at its home shard. */
    void recordMiss(int sizeClass, int home) {
        shards[home].recordMiss(sizeClass);
    }

    /** Steals from {@code other} for {@code own} (whose lock the caller holds) if its lock is free at once. */
    private static ByteBuffer tryStealFrom(Shard other, Shard own, int sizeClass, int stamp) {
        if (!other.mayHold(sizeClass) || !other.tryLock()) {
            return null;
        }
        try {
            return other.stealLocked(sizeClass, own, stamp);
        } finally {
            other.unlock();
        }
    }

    /**
     * The home shard is busy: takes a buffer of the class from one of the next {@link #NEARBY} shards whose
     * lock is free at once, or returns {@code null}. Why: threads without a cache (virtual threads) come
     * here for every operation, and two running on different carriers with the same home would otherwise
     * take turns on one lock for as long as both run; moving over is cheaper than waiting.
     */
    private ByteBuffer takeNearby(int sizeClass, int home) {
        for (int i = 1; i <= nearby; i++) {
            Shard other = shards[(home + i) & mask];
            if (other.mayHold(sizeClass) && other.tryLock()) {
                try {
                    ByteBuffer buffer = other.popLocked(sizeClass);
                    if (buffer != null) {
                        return buffer;
                    }
                } finally {
                    other.unlock();
                }
            }
        }
        return null;
    }

    private static ByteBuffer takeWaiting(Shard other, Shard own, int sizeClass, int stamp) {
        other.lock();
        try {
            if (own.tryLock()) {
                try {
                    return other.stealLocked(sizeClass, own, stamp);
                } finally {
                    own.unlock();
                }
            }
            return other.popLocked(sizeClass);
        } finally {
            other.unlock();
        }
    }

    /**
     * Keeps a batch of returned buffers of one class, all under one lock of the home shard: the first
     * {@code count - 1} come from a thread cache with their bytes still reserved (the shard takes the
     * reservation over), the last is the caller's {@code put}. Stops at the first refusal.
     *
     * @return how many of them were kept, in order: the first {@code kept}; the caller owns the rest, and
     *     the reservations of those that came from the cache
     */
    int offerBatch(int sizeClass, ByteBuffer[] batch, int count, int home, int stamp) {
        Shard own = shards[home];
        int kept = 0;
        own.lock();
        try {
            while (kept < count - 1 && own.acceptReservedLocked(sizeClass, batch[kept], stamp) == Shard.KEPT) {
                kept++;
            }
            if (kept == count - 1 && offerLocked(own, sizeClass, batch[kept], true, stamp, null) == Shard.KEPT) {
                kept++;
            }
        } finally {
            own.unlock();
        }
        return kept;
    }

    /**
     * Keeps a returned buffer: in the home shard; if its explicit count bound is reached, in another
     * shard with room; else the home shard's eviction policy decides.
     *
     * @param countAsPut whether this is a caller's {@code put} rather than a buffer moved from a thread cache
     * @return whether the buffer was kept; if not, the caller drops it
     */
    boolean offer(int sizeClass, ByteBuffer buffer, int home, int stamp, boolean countAsPut) {
        return offer(sizeClass, buffer, home, stamp, countAsPut, evicted);
    }

    /**
     * As {@link #offer(int, ByteBuffer, int, int, boolean)}, with the buffers evicted to make room for this
     * one handed to {@code evictedHere} (on the calling thread, under a shard's lock) instead of the tier's
     * own consumer: for a caller that reports what it dropped.
     */
    boolean offer(int sizeClass, ByteBuffer buffer, int home, int stamp, boolean countAsPut,
                  Consumer<ByteBuffer> evictedHere) {
        Shard own = shards[home];
        int outcome;
        if (own.tryLock()) {
            try {
                outcome = offerLocked(own, sizeClass, buffer, countAsPut, stamp, null);
            } finally {
                own.unlock();
            }
        } else {
            outcome = offerNearby(sizeClass, buffer, home, stamp, countAsPut); // busy home: as in takeNearby
            if (outcome == Shard.FULL) {
                outcome = offer(own, sizeClass, buffer, stamp, countAsPut, null);
            }
        }
        if (outcome == Shard.KEPT) {
            return true;
        }
        if (outcome == Shard.CLOSED) {
            return false;
        }
        if (outcome == Shard.FULL) {
            for (int i = 1; i < shards.length; i++) {
                Shard other = shards[(home + i) & mask];
                if (other.mayHaveRoom() && offer(other, sizeClass, buffer, stamp, countAsPut, null) == Shard.KEPT) {
                    return true;
                }
            }
        }
        return offer(own, sizeClass, buffer, stamp, countAsPut, evictedHere) == Shard.KEPT;
    }

    /**
     * The home shard is busy: keeps the buffer in one of the next {@link #NEARBY} shards whose lock is free
     * at once and whose count bound has room, without evicting.
     *
     * @return {@link Shard#KEPT} or {@link Shard#CLOSED}, or {@link Shard#FULL} if none of them kept it
     */
    private int offerNearby(int sizeClass, ByteBuffer buffer, int home, int stamp, boolean countAsPut) {
        for (int i = 1; i <= nearby; i++) {
            Shard other = shards[(home + i) & mask];
            if (other.mayHaveRoom() && other.tryLock()) {
                int outcome;
                try {
                    outcome = offerLocked(other, sizeClass, buffer, countAsPut, stamp, null);
                } finally {
                    other.unlock();
                }
                if (outcome == Shard.KEPT || outcome == Shard.CLOSED) {
                    return outcome;
                }
            }
        }
        return Shard.FULL;
    }

    /** Offers under the shard's lock, waiting for it; evicts to make room only with {@code evictInto}. */
    private int offer(Shard shard, int sizeClass, ByteBuffer buffer, int stamp, boolean countAsPut,
                      Consumer<ByteBuffer> evictInto) {
        shard.lock();
        try {
            return offerLocked(shard, sizeClass, buffer, countAsPut, stamp, evictInto);
        } finally {
            shard.unlock();
        }
    }

    /**
     * Offers to a shard whose lock the caller holds (and gives back in a {@code finally}, as every caller
     * here does, since this may throw). A caller's {@code put} of the very buffer the shard kept last is
     * refused: it is a second put of a buffer the pool already holds, which would otherwise be handed to
     * two holders. This catches what FAST's look at the buffer's state misses when the buffer was changed
     * (a {@code clear()}, say) between the two puts and the thread has no cache that kept it: one compare,
     * on the line the push writes anyway.
     *
     * @param evictInto {@code null}: no eviction; else what receives the buffers evicted to make room
     * @throws IllegalStateException if the put is refused so
     */
    private int offerLocked(Shard shard, int sizeClass, ByteBuffer buffer, boolean countAsPut, int stamp,
                            Consumer<ByteBuffer> evictInto) {
        if (countAsPut && refusedPutTwice != null && shard.holdsOnTopLocked(sizeClass, buffer)) {
            refusedPutTwice.run();
            throw new IllegalStateException("buffer put twice: this buffer (capacity " + buffer.capacity()
                    + ") was returned before and the pool still holds it; a buffer is put once per get");
        }
        return shard.offerLocked(sizeClass, buffer, countAsPut, stamp, evictInto != null,
                evictInto != null ? evictInto : evicted);
    }

    /**
     * Whether any shard holds this very buffer; for the double-put check, a slow path that only a buffer
     * that looks put already takes. Holds every shard's lock at once (taken in index order, as
     * {@link #addStats} does): looked at one at a time, a steal could move the buffer from a shard not yet
     * looked at into one already looked at, and a second put of it would be taken, the buffer then held
     * twice and handed to two holders.
     */
    boolean holds(int sizeClass, ByteBuffer buffer) {
        for (Shard shard : shards) {
            shard.lock();
        }
        try {
            for (Shard shard : shards) {
                if (shard.holdsLocked(sizeClass, buffer)) {
                    return true;
                }
            }
            return false;
        } finally {
            for (int i = shards.length - 1; i >= 0; i--) {
                shards[i].unlock();
            }
        }
    }

    /** Gives every shard's spare credit back to the budget (those whose lock is free at once). */
    private void releaseSpareCredit() {
        for (Shard shard : shards) {
            shard.releaseSpareCredit();
        }
    }

    /** Drops the buffers idle past the timeout. @return the removed buffers, for the caller to release */
    List<ByteBuffer> trim(IdleClock clock, int currentTrim) {
        List<ByteBuffer> removed = new ArrayList<>();
        for (Shard shard : shards) {
            removed.addAll(shard.trim(clock, currentTrim));
        }
        return removed;
    }

    /**
     * Empties every shard, releasing the bytes, and hands each buffer to {@code dropped}, once all the
     * shards' locks are released again.
     *
     * @return the bytes dropped
     */
    long drain(Consumer<ByteBuffer> dropped) {
        // every shard's lock at once (index order, as in holds): drained one at a time, a steal could move
        // a batch from a shard not yet drained into one already drained, and it would stay
        List<ByteBuffer> drained = new ArrayList<>();
        for (Shard shard : shards) {
            shard.lock();
        }
        try {
            for (Shard shard : shards) {
                drained.addAll(shard.drainLocked());
            }
        } finally {
            for (int i = shards.length - 1; i >= 0; i--) {
                shards[i].unlock();
            }
        }
        long bytes = 0;
        for (ByteBuffer buffer : drained) { // unpinned outside the locks
            bytes += buffer.capacity();
            dropped.accept(buffer);
        }
        return bytes;
    }

    /** Empties every shard for good. @return what they held */
    List<ByteBuffer> close() {
        List<ByteBuffer> drained = new ArrayList<>();
        for (Shard shard : shards) {
            drained.addAll(shard.close());
        }
        return drained;
    }

    /**
     * Adds per-shard snapshots to {@code out} and per-class figures to the accumulators, as one cut: all
     * shards are locked together (in index order, the only order in which any thread waits for a second
     * shard lock, so this cannot deadlock), because a steal moves buffers between shards and shards read
     * one at a time could count a moving batch twice. Each shard is held for a few array reads.
     *
     * @return kept puts
     */
    long addStats(List<ShardStats> out, long[] pooled, long[] hits, long[] misses, long[] evictions) {
        for (Shard shard : shards) {
            shard.lock();
        }
        try {
            long kept = 0;
            for (Shard shard : shards) {
                out.add(shard.statsLocked());
                kept += shard.addClassStatsLocked(pooled, hits, misses, evictions);
            }
            return kept;
        } finally {
            for (int i = shards.length - 1; i >= 0; i--) {
                shards[i].unlock();
            }
        }
    }
}
