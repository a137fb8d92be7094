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
 * @param evictions buffers the shard dropped for want of room: the victims under
 *                  {@link EvictionPolicy#CLOCK_PRO}, the incoming buffers under {@link EvictionPolicy#LIFO}
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
