package dev.zeropool;

/**
 * Cache-line padding before a {@link ShardLock}'s lock word. Where the garbage collector puts a shard is
 * up to it (after a collection the shards often lie one after another, in the order of the array that
 * holds them), and without padding the lock word of one would share a line with the fields of the object
 * before it, another shard's, so threads homed on different shards would still contend. Superclass fields
 * are laid out first, so this class pads before the lock word (128 bytes: two lines, as adjacent-line
 * prefetchers pull pairs). There is no padding after it on purpose: the shard's own counters follow the
 * lock word on the same lines, so an operation touches fewer lines; what comes after the shard is the
 * collector's choice (when it is the next shard, that shard's padding). {@code ShardPaddingTest} checks
 * the layout for each kind of object header.
 */
@SuppressWarnings("unused")
abstract class ShardLockPadding {
    // Fills the 4 bytes between a 12-byte object header and the first long. HotSpot fills a superclass's
    // holes with a subclass's fields: without this one, the lock word (an int) went into that hole, at
    // offset 12, before the padding, and two threads each on its own shard often made less than one alone.
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p10, p11, p12, p13, p14, p15, p16;
}
