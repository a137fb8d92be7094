package dev.zeropool;

/**
 * A snapshot of one size class over the whole pool (shards and per-thread caches). Immutable.
 * Counters are cumulative since the pool was built.
 *
 * @param capacity      capacity in bytes of every buffer of this class
 * @param pooledBuffers buffers of this class the pool holds now
 * @param tlsHits       {@code get}s of this class served by a per-thread cache
 * @param shardHits     {@code get}s of this class served by a shard
 * @param misses        {@code get}s of this class that allocated a new buffer
 * @param evictions     buffers of this class the shards' eviction policy dropped to make room (see
 *                      {@link ShardStats#evictions()})
 */
public record SizeClassStats(
        int capacity, int pooledBuffers, long tlsHits, long shardHits, long misses, long evictions) {

    /**
     * @return bytes held in buffers of this class: {@code capacity * pooledBuffers}
     */
    public long pooledBytes() {
        return (long) capacity * pooledBuffers;
    }

    /**
     * @return all {@code get}s of this class: {@code tlsHits + shardHits + misses}
     */
    public long gets() {
        return tlsHits + shardHits + misses;
    }
}
