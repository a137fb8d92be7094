package dev.zeropool;

import java.util.Arrays;

/**
 * {@link EvictionPolicy#CLOCK_PRO} over size classes: reference bits swept by a clock hand, hot and
 * cold classes, and a test period after eviction that promotes a class whose eviction proved wrong.
 * Not thread-safe: its shard's lock guards it.
 *
 * <p>Cost: each step of the hand clears a reference bit (set by an earlier {@code get}), demotes a hot
 * class (made hot by an earlier miss), skips an empty class, or picks the victim; so a sweep costs
 * O(1) amortised per access, and never more than three turns over the classes.
 */
final class ClockPro implements Eviction {

    private final boolean[] referenced;
    private final boolean[] hot;
    private final long[] evictedAt; // eviction tick of each class's last eviction, -1 if never
    private final int testPeriod;
    private long evictions;
    private int hand;

    ClockPro(int sizeClasses, int shardCapacity) {
        this.referenced = new boolean[sizeClasses];
        this.hot = new boolean[sizeClasses];
        this.evictedAt = new long[sizeClasses];
        Arrays.fill(evictedAt, -1);
        this.testPeriod = shardCapacity;
    }

    @Override
    public void onHit(int sizeClass) {
        // Read before writing: the bit is almost always set already (only the hand clears it), and an
        // unconditional store would dirty this line on every get, moving it between cores that share the shard.
        if (!referenced[sizeClass]) {
            referenced[sizeClass] = true;
        }
    }

    @Override
    public void onMiss(int sizeClass) {
        referenced[sizeClass] = true;
        if (inTestPeriod(sizeClass)) {
            hot[sizeClass] = true; // it was evicted, and is wanted again: keep it longer next time
        }
    }

    private boolean inTestPeriod(int sizeClass) {
        long at = evictedAt[sizeClass];
        return at >= 0 && evictions - at <= testPeriod;
    }

    @Override
    public int victim(int incoming, int[] counts) {
        int classes = counts.length;
        for (int step = 0; step <= 3 * classes; step++) {
            int candidate = hand;
            hand = hand + 1 == classes ? 0 : hand + 1;
            if (counts[candidate] == 0) {
                continue; // nothing to evict here; a class entering the shard competes once it is in
            }
            if (referenced[candidate]) {
                referenced[candidate] = false;
            } else if (hot[candidate]) {
                hot[candidate] = false;
            } else {
                return candidate == incoming ? -1 : candidate;
            }
        }
        return -1; // unreachable when the shard is full: after two turns every resident class is cold
    }

    @Override
    public void onEvicted(int sizeClass) {
        evictions++;
        evictedAt[sizeClass] = evictions;
    }

    boolean isHot(int sizeClass) {
        return hot[sizeClass];
    }
}
