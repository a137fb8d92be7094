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

    private static final int FIRST_SWEEP = 64;

    private final ThreadLocal<ThreadCache> local = new ThreadLocal<>();
    private final List<ThreadCache> caches = new ArrayList<>(); // guarded by this
    private final long[] retiredTlsHits;                       // guarded by this
    private long retiredKept;                                   // guarded by this
    private int nextSweepAt = FIRST_SWEEP;                      // guarded by this

    CacheRegistry(int sizeClasses) {
        this.retiredTlsHits = new long[sizeClasses];
    }

    /** The calling thread's cache, or {@code null} if it has none yet. */
    ThreadCache current() {
        return local.get();
    }

    /**
     * Registers a new cache for the calling thread. Every time the number of caches doubles, the
     * caches of ended threads are swept out first (amortised O(1) per registration) and returned,
     * for the caller to reclaim their buffers.
     */
    List<ThreadCache> register(ThreadCache cache) {
        local.set(cache);
        synchronized (this) {
            List<ThreadCache> ended = caches.size() >= nextSweepAt ? removeEndedLocked() : List.of();
            caches.add(cache);
            nextSweepAt = Math.max(FIRST_SWEEP, caches.size() * 2);
            return ended;
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
        long[] pooledIgnored = new long[retiredTlsHits.length];
        for (ThreadCache cache : ended) {
            cache.addClassStats(pooledIgnored, retiredTlsHits);
            retiredKept += cache.kept();
        }
        return ended;
    }

    /** Every live cache, for close. */
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

    /** Forgets the calling thread's cache (after it drained it on a closed pool). */
    void forgetCurrent() {
        local.remove();
    }
}
