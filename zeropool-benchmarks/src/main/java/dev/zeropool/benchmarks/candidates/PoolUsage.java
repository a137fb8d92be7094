package dev.zeropool.benchmarks.candidates;

import dev.zeropool.PoolStats;
import java.util.Locale;

/**
 * ZeroPool's counters that the benchmarks report, taken from a {@link PoolStats} snapshot, and the
 * difference between two snapshots (what happened in between).
 *
 * @param gets    {@code get} calls
 * @param hits    gets served without allocating (thread-cache and shard hits)
 * @param misses  gets that allocated
 * @param puts    {@code put} calls
 * @param dropped puts whose buffer the pool did not keep
 */
public record PoolUsage(long gets, long hits, long misses, long puts, long dropped) {

    public static PoolUsage of(PoolStats stats) {
        return new PoolUsage(stats.gets(), stats.tlsHits() + stats.shardHits(), stats.misses(), stats.puts(),
                stats.dropped());
    }

    /** @return the counts of {@code this} snapshot less those of the {@code earlier} one */
    public PoolUsage minus(PoolUsage earlier) {
        return new PoolUsage(gets - earlier.gets, hits - earlier.hits, misses - earlier.misses, puts - earlier.puts,
                dropped - earlier.dropped);
    }

    /** @return the sum of both, for accumulating the differences over several spans */
    public PoolUsage plus(PoolUsage other) {
        return new PoolUsage(gets + other.gets, hits + other.hits, misses + other.misses, puts + other.puts,
                dropped + other.dropped);
    }

    /** @return {@code hits / gets}, 1.0 when there were no gets */
    public double hitRate() {
        return gets == 0 ? 1.0 : (double) hits / gets;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "hit rate %.5f (%d gets, %d misses), %d puts, %d dropped", hitRate(), gets,
                misses, puts, dropped);
    }
}
