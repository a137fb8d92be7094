package dev.zeropool;

import java.util.List;

/**
 * A snapshot of a pool's counters and contents. Immutable; cheap enough to take in production
 * (it holds the shards' locks together for a few array reads each and reads the per-thread counters without
 * stopping their owners).
 *
 * <p>Counters are cumulative since the pool was built. The shards are read as one atomic cut, the per-thread
 * caches are read while their owners keep running, so a snapshot taken under load is consistent
 * enough for monitoring but not a linearisable cut. The identities below hold exactly in every
 * snapshot, under load or not: {@code gets == tlsHits + shardHits + misses} and
 * {@code puts == kept + dropped + rejected}, where "kept" is the puts whose buffer the pool took.
 *
 * @param gets           calls to {@code get}, counted by outcome: {@code tlsHits + shardHits + misses}
 * @param tlsHits        {@code get}s served by the calling thread's own cache (no lock taken)
 * @param shardHits      {@code get}s served by a shard
 * @param misses         {@code get}s that allocated: no pooled buffer of the class, zero-size or
 *                       larger than {@code maxBufferSize}
 * @param puts           calls to {@code put}, including rejected ones
 * @param dropped        {@code put}s whose buffer the pool did not keep (no room, unpooled size, pool closed)
 * @param rejected       {@code put}s refused with an exception (null, wrong kind, not a size class, put twice)
 * @param pooledBuffers  buffers the pool holds now, shards and per-thread caches together (leak
 *                       detection's idle spares, see {@link LeakDetection#SAMPLED}, not included)
 * @param pooledBytes    capacity in bytes of the buffers the pool holds now. What the pool holds never
 *                       exceeds {@code maxPooledBytes} (which bounds these and the idle spares together); but a
 *                       snapshot taken under load reads the caches after the shards, so a buffer that moved
 *                       from a shard to a thread's cache in between counts twice (one that moved the other
 *                       way not at all), and the figure can read slightly above the bound
 * @param allocatedBytes capacity in bytes of every buffer the pool allocated since it was built, leak
 *                       detection's spares included
 * @param pinnedBytes    bytes really locked in RAM now for this pool (0 unless pinning is on and permitted)
 * @param leaks          buffers found leaked: taken, never returned, and collected (see {@link LeakDetection})
 * @param shards         one entry per shard, by index
 * @param sizeClasses    one entry per size class that has been used or holds buffers, by capacity
 */
public record PoolStats(
        long gets,
        long tlsHits,
        long shardHits,
        long misses,
        long puts,
        long dropped,
        long rejected,
        long pooledBuffers,
        long pooledBytes,
        long allocatedBytes,
        long pinnedBytes,
        long leaks,
        List<ShardStats> shards,
        List<SizeClassStats> sizeClasses) {

    /** A snapshot without a leak count (0), as in the first release; kept so code written against it compiles. */
    public PoolStats(long gets, long tlsHits, long shardHits, long misses, long puts, long dropped, long rejected,
                     long pooledBuffers, long pooledBytes, long allocatedBytes, long pinnedBytes,
                     List<ShardStats> shards, List<SizeClassStats> sizeClasses) {
        this(gets, tlsHits, shardHits, misses, puts, dropped, rejected, pooledBuffers, pooledBytes, allocatedBytes,
                pinnedBytes, 0, shards, sizeClasses);
    }

    /** Copies the lists, so the snapshot stays immutable. */
    public PoolStats {
        shards = List.copyOf(shards);
        sizeClasses = List.copyOf(sizeClasses);
    }

    /**
     * @return the share of {@code get}s served without allocating, {@code (tlsHits + shardHits) / gets};
     *     1.0 before the first {@code get}
     */
    public double hitRate() {
        return gets == 0 ? 1.0 : (double) (tlsHits + shardHits) / gets;
    }

    /**
     * @return the share of {@code get}s served by the calling thread's own cache, {@code tlsHits / gets};
     *     1.0 before the first {@code get}
     */
    public double tlsHitRate() {
        return gets == 0 ? 1.0 : (double) tlsHits / gets;
    }

    /**
     * @return {@code put}s whose buffer the pool kept: {@code puts - dropped - rejected}
     */
    public long kept() {
        return puts - dropped - rejected;
    }

    /**
     * @return buffers the shards' eviction policy dropped to make room (the sum of
     *     {@link ShardStats#evictions()}, which says what counts); not the same as {@link #dropped()}
     */
    public long evictions() {
        long sum = 0;
        for (ShardStats shard : shards) {
            sum += shard.evictions();
        }
        return sum;
    }
}
