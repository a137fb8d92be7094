package dev.zeropool;

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
 */
final class CacheRegistry {

    private static final int SWEEP_PER_REGISTRATION = 2;

    private final ThreadLocal<ThreadCache> local = new ThreadLocal<>();
    private final List<ThreadCache> caches = new ArrayList<>(); // guarded by this
    private final long[] retiredTlsHits;                       // guarded by this
    private long retiredKept;                                   // guarded by this
    private int cursor;                                         // guarded by this

    CacheRegistry(int sizeClasses) {
        this.retiredTlsHits = new long[sizeClasses];
    }

    /** The calling thread's cache, or {@code null} if it has none yet. */
    ThreadCache current() {
        return local.get();
    }

    /**
     * Registers a new cache for the calling thread. Each registration also examines the next two
     * registered caches in turn and removes those whose thread has ended (returned, for the caller
     * to reclaim their buffers): with threads coming and going, ended caches are found promptly, at
     * O(1) per registration, and never outnumber the live ones by much.
     */
    List<ThreadCache> register(ThreadCache cache) {
        local.set(cache);
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
        synchronized (this) {
            int at = caches.indexOf(revoked);
            if (at >= 0) {
                retireLocked(revoked);
                caches.set(at, fresh);
            } else {
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
        local.remove();
    }
}
