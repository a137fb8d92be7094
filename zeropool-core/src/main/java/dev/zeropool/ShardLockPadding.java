package dev.zeropool;

/**
 * Cache-line padding before a {@link ShardLock}'s lock word. Shards are allocated one after another, and
 * without padding the lock word of one would share a line with the fields of its neighbour, so threads
 * homed on different shards would still contend. Superclass fields are laid out first, so this class
 * pads before the lock word and {@link ShardLock.PaddingAfter} after it (128 bytes each: two lines, as
 * adjacent-line prefetchers pull pairs).
 */
@SuppressWarnings("unused")
abstract class ShardLockPadding {
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p10, p11, p12, p13, p14, p15, p16;
}
