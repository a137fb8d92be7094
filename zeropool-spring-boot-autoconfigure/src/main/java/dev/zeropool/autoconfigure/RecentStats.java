package dev.zeropool.autoconfigure;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One {@link BufferPool#stats()} snapshot shared by all of a pool's meters while it is recent. A
 * registry samples every meter of a scrape within milliseconds; without sharing, a pool with 128 shards
 * would take a full snapshot (locking every shard) for each of its ~270 meters per scrape. Thread-safe:
 * two threads may both refresh at once, and either snapshot is a valid one.
 */
final class RecentStats {

    /** How long a snapshot serves: far shorter than any scrape interval, far longer than one scrape. */
    static final Duration MAX_AGE = Duration.ofMillis(200);

    private final LongSupplier nanoTime;
    private volatile Snapshot latest;

    private record Snapshot(PoolStats stats, long takenAt) {
    }

    RecentStats() {
        this(System::nanoTime);
    }

    RecentStats(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * @param pool the pool these snapshots are of, passed in rather than held: the meters hold their pool
     *     weakly, and this object, which their functions hold, must not keep it alive
     */
    PoolStats get(BufferPool pool) {
        long now = nanoTime.getAsLong();
        Snapshot snapshot = latest;
        if (snapshot == null || now - snapshot.takenAt() >= MAX_AGE.toNanos()) {
            snapshot = new Snapshot(pool.stats(), now);
            latest = snapshot;
        }
        return snapshot.stats();
    }
}
