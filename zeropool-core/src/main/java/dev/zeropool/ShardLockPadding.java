package dev.zeropool;

/**
 * Cache-line padding before a {@link ShardLock}'s lock word. Shards are allocated one after another, and
 * without padding the lock word of one would share a line with the fields of its neighbour, so threads
 * homed on different shards would still contend. Superclass fields are laid out first, so this class
 * pads before the lock word (128 bytes: two lines, as adjacent-line prefetchers pull pairs). There is
 * no padding after it on purpose: the shard's own counters follow the lock word on the same lines, so
 * an operation touches fewer lines, and the next shard's padding comes after them.
 */
@SuppressWarnings("unused")
abstract class ShardLockPadding {
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p10, p11, p12, p13, p14, p15, p16;
}
