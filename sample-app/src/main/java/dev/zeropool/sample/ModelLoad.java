package dev.zeropool.sample;

/**
 * What {@code POST /models/{name}/load} reports.
 *
 * @param name        the file loaded
 * @param tensors     tensors in the file, each read into its own pooled buffer
 * @param bytes       bytes of tensor data read, the sum of the tensors' sizes (the header not counted)
 * @param millis      milliseconds from opening the file until every tensor was in memory, before the
 *                    buffers went back to the pool
 * @param poolHitRate the pool's hit rate since start-up, read after this load's buffers went back: the
 *                    share of all its {@code get}s, by every user of the pool, served without allocating
 */
record ModelLoad(String name, int tensors, long bytes, double millis, double poolHitRate) {
}
