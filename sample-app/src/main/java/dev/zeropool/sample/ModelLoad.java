package dev.zeropool.sample;

/**
 * What {@code POST /models/{name}/load} reports: what the load read, and what it cost the pool.
 *
 * <p>The pool counts hits and misses for all its users together, so {@code hits} and {@code misses} are the
 * pool's over the load's duration, from its statistics just before and just after. {@code otherGets} says
 * whether that is this load alone: when it is 0, no one else took a buffer meanwhile, and
 * {@code hits + misses == gets} are exactly this load's. Under concurrent requests it is positive and
 * {@code hits} and {@code misses} include theirs.
 *
 * @param name        the file loaded
 * @param tensors     tensors in the file, each read into its own pooled buffer
 * @param bytes       bytes of tensor data read, the sum of the tensors' sizes (the header not counted)
 * @param millis      milliseconds from opening the file until every tensor was in memory, before the
 *                    buffers went back to the pool
 * @param gets        buffers this load took from the pool, exactly: one per tensor
 * @param hits        the pool's {@code get}s during the load served by a buffer it held
 * @param misses      the pool's {@code get}s during the load that allocated (including sizes over
 *                    {@code zeropool.max-buffer-size}, which are never pooled)
 * @param otherGets   the pool's {@code get}s during the load made by other users; 0 means {@code hits} and
 *                    {@code misses} are this load's own
 * @param poolHitRate the pool's hit rate since start-up, read after this load's buffers went back: the
 *                    share of all its {@code get}s, by every user of the pool, served without allocating
 */
record ModelLoad(String name, int tensors, long bytes, double millis, long gets, long hits, long misses,
        long otherGets, double poolHitRate) {
}
