package dev.zeropool;

/**
 * A snapshot of one shard. Immutable. Counters are cumulative since the pool was built.
 *
 * @param index     the shard's index, from 0 to {@code numShards - 1}
 * @param buffers   buffers the shard holds now
 * @param bytes     capacity in bytes of the buffers the shard holds now
 * @param capacity  buffers the shard may hold ({@code maxBuffersPerShard})
 * @param hits      {@code get}s the shard served (including those served for threads of other shards)
 * @param misses    {@code get}s homed on this shard that no shard could serve, so a buffer was allocated
 * @param evictions buffers the shard's eviction policy dropped to make room: the victims it evicted for an
 *                  incoming buffer (when the count bound or the byte budget binds), and at the count bound
 *                  the incoming buffers it refused a slot (always under {@link EvictionPolicy#LIFO}; under
 *                  {@link EvictionPolicy#CLOCK_PRO} when it found their class the coldest). A put refused
 *                  for want of bytes (no budget left, and no eviction chosen that would make room) counts
 *                  only in {@link PoolStats#dropped()}
 */
public record ShardStats(int index, int buffers, long bytes, int capacity, long hits, long misses, long evictions) {

    /**
     * How full the shard is.
     *
     * @return {@code buffers / capacity}, from 0 to 1
     */
    public double occupancy() {
        return capacity == 0 ? 0.0 : (double) buffers / capacity;
    }
}
