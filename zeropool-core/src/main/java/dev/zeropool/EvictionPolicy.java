package dev.zeropool;

/**
 * What a shard does when a buffer comes back and the pool's byte budget has no room for it, or (with an
 * explicit {@link BufferPool.Builder#maxBuffersPerShard(int) maxBuffersPerShard}) the shard and every
 * shard it could spill to are full. Both policies cost O(1) amortised per returned buffer.
 */
public enum EvictionPolicy {
    /**
     * Keep the size classes that are being reused and evict from the cold ones, in the spirit of
     * CLOCK-Pro (Jiang, Chen, Zhang, USENIX ATC 2005).
     *
     * <p>Each shard keeps, per size class, a reference bit (set when a {@code get} of that class is
     * served by the shard or misses it), a hot flag and the time of its last eviction. When the shard
     * is full, a clock hand sweeps the classes that hold buffers: a referenced class has its bit
     * cleared and is passed over; a hot class without the bit is demoted to cold and passed over; the
     * first cold, unreferenced class loses one buffer, which is dropped. The incoming buffer then
     * takes the freed slot (if the victim is the incoming buffer's own class, the incoming buffer is
     * the one dropped). A class evicted recently is in its test period: if a {@code get} of it
     * misses the shard during that period, the eviction was a mistake and the class is promoted to
     * hot, so it survives one more sweep next time. The test period lasts as many evictions as the
     * shard has slots (at most 65536).
     */
    CLOCK_PRO,

    /**
     * Keep what is already pooled and drop the incoming buffer. Within a size class buffers are
     * reused last-in, first-out, so the most recently touched (cache-warm) buffer is handed out first.
     */
    LIFO
}
