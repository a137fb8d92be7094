package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One {@link BufferPool#stats()} snapshot shared by all of a pool's meters while it is recent. A
 * registry samples every meter of a scrape within milliseconds; without sharing, a pool with 128 shards
 * would take a full snapshot (locking every shard) for each of its ~270 meters per scrape. Thread-safe:
 * one thread refreshes at a time, and the others wait for its snapshot, so that each snapshot published
 * is taken after the one before it and a counter read through it never goes back (two registries
 * scraping at once could otherwise publish the older of two snapshots last, and a scraper reads a
 * counter that goes back as a reset).
 */
final class RecentStats {

    /** How long a snapshot serves: far shorter than any scrape interval, far longer than one scrape. */
    static final Duration MAX_AGE = Duration.ofMillis(200);

    private final LongSupplier nanoTime;
    private final Function<BufferPool, PoolStats> snapshotOf;
    private final ReentrantLock refreshing = new ReentrantLock(); // not synchronized: no carrier pinned
    private volatile Snapshot latest;

    private record Snapshot(PoolStats stats, long takenAt) {
    }

    RecentStats() {
        this(System::nanoTime);
    }

    RecentStats(LongSupplier nanoTime) {
        this(nanoTime, BufferPool::stats);
    }

    /** For tests: {@code snapshotOf} takes the snapshot of a pool. */
    RecentStats(LongSupplier nanoTime, Function<BufferPool, PoolStats> snapshotOf) {
        this.nanoTime = nanoTime;
        this.snapshotOf = snapshotOf;
    }

    /**
     * @param pool the pool these snapshots are of, passed in rather than held: the meters hold their pool
     *     weakly, and this object, which their functions hold, must not keep it alive
     */
    PoolStats get(BufferPool pool) {
        Snapshot snapshot = latest;
        if (snapshot == null || isOld(snapshot)) {
            this.refreshing.lock();
            try {
                snapshot = latest; // refreshed meanwhile by the thread this one waited for?
                if (snapshot == null || isOld(snapshot)) {
                    long now = nanoTime.getAsLong();
                    snapshot = new Snapshot(snapshotOf.apply(pool), now);
                    latest = snapshot;
                }
            } finally {
                this.refreshing.unlock();
            }
        }
        return snapshot.stats();
    }

    /** For tests: whether {@code thread} waits for another thread's refresh. */
    boolean waitsForRefresh(Thread thread) {
        return this.refreshing.hasQueuedThread(thread);
    }

    private boolean isOld(Snapshot snapshot) {
        return nanoTime.getAsLong() - snapshot.takenAt() >= MAX_AGE.toNanos();
    }
}
