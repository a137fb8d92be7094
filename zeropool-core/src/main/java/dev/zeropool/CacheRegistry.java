package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every per-thread cache of one pool: for statistics, for close, and to reclaim the caches of
 * threads that have ended (their buffers would otherwise be stranded). Thread-safe: the list is
 * guarded by this object's monitor, taken once per thread at registration and by statistics, never
 * on the hit path.
 *
 * <p>The counters of a reclaimed cache are folded into retired totals in the same critical section
 * that removes the cache, so a statistics snapshot counts them exactly once.
 *
 * <p>Finding the calling thread's cache is on every call's path, and a {@link ThreadLocal} lookup there
 * cost more than the rest of the hit path together (profiled: the map probe and its weak-key check). So
 * each cache also claims a slot in a small array indexed by its thread's id; a thread whose slot holds
 * a cache it owns (a final field, so the check is safe on any thread) needs no map. Slots are written
 * only when a cache is registered, replaced or retired, never per operation; a thread whose slot
 * another live thread holds falls back to the {@code ThreadLocal}, which stays the source of truth.
 * A registry built without slots ({@code slotted} false) only ever answers from the {@code ThreadLocal}:
 * the pool's fast paths find no cache in it and take the slow path, which is how a pool whose every
 * call needs the slow path (STRICT validation, zeroing on release) keeps the hit path free of a test
 * for its mode.
 */
final class CacheRegistry {

    private static final int SWEEP_PER_REGISTRATION = 2;
    static final int SLOTS = 1024;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ThreadCache[].class);

    private final ThreadLocal<ThreadCache> local = new ThreadLocal<>();
    private final ThreadCache[] slots = new ThreadCache[SLOTS]; // CAS-claimed, read opaque
    private final List<ThreadCache> caches = new ArrayList<>(); // guarded by this
    private final long[] retiredTlsHits;                       // guarded by this
    private long retiredKept;                                   // guarded by this
    private int cursor;                                         // guarded by this
    private final int[] homed;                                  // guarded by this: registered caches per shard
    private final boolean slotted;

    CacheRegistry(int sizeClasses, int shards, boolean slotted) {
        this.slotted = slotted;
        this.retiredTlsHits = new long[sizeClasses];
        this.homed = new int[shards];
    }

    /**
     * A home shard for a new thread cache: the one with the fewest registered caches, looking first at
     * the shard the thread's hash (its id) names. The id alone puts two of a few busy threads on one
     * shard whenever their ids are a multiple of the shard count apart, and two threads sharing a home
     * meet on its lock at every call that misses their caches (a producer and its consumer, say);
     * spreading the caches keeps the first {@code shards} threads apart, whatever their ids. Counted back
     * when a cache is retired.
     */
    synchronized int chooseHome(int threadHash) {
        int mask = homed.length - 1;
        int best = threadHash & mask;
        for (int i = 1; i < homed.length; i++) {
            int candidate = (threadHash + i) & mask;
            if (homed[candidate] < homed[best]) {
                best = candidate;
            }
        }
        homed[best]++;
        return best;
    }

    /** The calling thread's cache, or {@code null} if it has none yet. */
    ThreadCache current() {
        Thread thread = Thread.currentThread();
        return current(thread, Threads.hash(thread));
    }

    /** {@link #current()} for the calling thread, given it and its {@link Threads#hash}. */
    ThreadCache current(Thread thread, int threadHash) {
        ThreadCache cache = slotted(thread, threadHash);
        return cache != null ? cache : local.get();
    }

    /**
     * The calling thread's cache if its slot holds it, else {@code null} (no cache yet, a slot taken by
     * another thread, or a virtual thread): the hit path's lookup, kept small enough that the pool's
     * {@code get} and {@code put} stay inlinable into their callers; {@link #current} does the rest.
     */
    ThreadCache slotted(Thread thread, int threadHash) {
        ThreadCache[] slots = this.slots;
        // masked with the array's own length (a power of two): the JIT then reduces the bounds check to a
        // non-empty test
        ThreadCache cache = (ThreadCache) SLOT.getOpaque(slots, threadHash & (slots.length - 1));
        return cache != null && cache.owner() == thread ? cache : null;
    }

    /**
     * Claims the cache's slot if it is free or its holder's thread has ended: an ended thread's cache
     * may wait several registrations for the sweep (two caches per registration), and a new thread that
     * left the slot to it would take the {@code ThreadLocal} path for its whole life. The ended cache
     * stays registered until swept; only its slot, which no live thread looks up, changes hands.
     */
    private void claimSlot(ThreadCache cache) {
        if (!slotted) {
            return;
        }
        int index = Threads.hash(cache.owner()) & (SLOTS - 1);
        while (true) { // a failed CAS means the slot changed (another claim, or a sweep freed it): look again
            ThreadCache holder = (ThreadCache) SLOT.getVolatile(slots, index);
            if ((holder != null && !holder.ownerEnded()) || SLOT.compareAndSet(slots, index, holder, cache)) {
                return;
            }
        }
    }

    private void releaseSlot(ThreadCache cache) {
        SLOT.compareAndSet(slots, Threads.hash(cache.owner()) & (SLOTS - 1), cache, null);
    }

    /**
     * Registers a new cache for the calling thread. Each registration also examines the next two
     * registered caches in turn and removes those whose thread has ended (returned, for the caller
     * to reclaim their buffers): with threads coming and going, ended caches are found promptly, at
     * O(1) per registration, and never outnumber the live ones by much.
     */
    List<ThreadCache> register(ThreadCache cache) {
        local.set(cache);
        claimSlot(cache);
        synchronized (this) {
            List<ThreadCache> ended = List.of();
            for (int examined = 0; examined < SWEEP_PER_REGISTRATION && !caches.isEmpty(); examined++) {
                if (cursor >= caches.size()) {
                    cursor = 0;
                }
                ThreadCache candidate = caches.get(cursor);
                if (candidate.ownerEnded()) {
                    ended = ended.isEmpty() ? new ArrayList<>(SWEEP_PER_REGISTRATION) : ended;
                    ended.add(candidate);
                    retireLocked(candidate);
                    int last = caches.size() - 1;
                    caches.set(cursor, caches.get(last)); // swap-remove: O(1), order does not matter
                    caches.remove(last);
                } else {
                    cursor++;
                }
            }
            caches.add(cache);
            return ended;
        }
    }

    /**
     * The calling thread's cache was taken back by a trim ({@link ThreadCache#revokeIfIdle}): replaces
     * it with {@code fresh}, folding the old one's counters into the retired totals. The caller is the
     * old cache's owner, its only writer, so its counters are final here and counted exactly once.
     */
    void replace(ThreadCache revoked, ThreadCache fresh) {
        local.set(fresh);
        if (!SLOT.compareAndSet(slots, Threads.hash(fresh.owner()) & (SLOTS - 1), revoked, fresh)) {
            claimSlot(fresh);
        }
        synchronized (this) {
            int at = caches.indexOf(revoked);
            if (at >= 0) {
                retireLocked(revoked);
                homed[fresh.homeShard()]++; // the new cache keeps the old one's home
                caches.set(at, fresh);
            } else {
                homed[fresh.homeShard()]++;
                caches.add(fresh); // not expected: a revoked cache stays registered until its owner replaces it
            }
        }
    }

    /** Removes the caches of threads that have ended, folding their counters into the retired totals. */
    synchronized List<ThreadCache> removeEnded() {
        return removeEndedLocked();
    }

    private List<ThreadCache> removeEndedLocked() {
        List<ThreadCache> ended = new ArrayList<>();
        caches.removeIf(cache -> {
            if (!cache.ownerEnded()) {
                return false;
            }
            ended.add(cache);
            return true;
        });
        ended.forEach(this::retireLocked);
        return ended;
    }

    /** Folds an ended cache's counters into the retired totals; its buffers are reclaimed by the caller. */
    private void retireLocked(ThreadCache cache) {
        releaseSlot(cache);
        homed[cache.homeShard()]--;
        cache.addClassStats(new long[retiredTlsHits.length], retiredTlsHits);
        retiredKept += cache.kept();
    }

    /** Every registered cache, for trim and close. */
    synchronized List<ThreadCache> snapshot() {
        return new ArrayList<>(caches);
    }

    /** Adds every cache's figures, live and retired, into the accumulators; returns kept puts. */
    synchronized long addStats(long[] pooled, long[] tlsHits) {
        long kept = retiredKept;
        for (int c = 0; c < retiredTlsHits.length; c++) {
            tlsHits[c] += retiredTlsHits[c];
        }
        for (ThreadCache cache : caches) {
            cache.addClassStats(pooled, tlsHits);
            kept += cache.kept();
        }
        return kept;
    }

    /** @return how many caches are registered (live threads, and ended ones not yet reclaimed) */
    synchronized int size() {
        return caches.size();
    }

    /** Forgets the calling thread's cache (after it drained it on a closed pool). */
    void forgetCurrent() {
        ThreadCache cache = local.get();
        if (cache != null) {
            releaseSlot(cache);
        }
        local.remove();
    }
}
