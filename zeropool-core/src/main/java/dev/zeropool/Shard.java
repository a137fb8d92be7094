package dev.zeropool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One shard of the shared store: per size class a stack of buffers, at most {@code capacity} buffers
 * in all, and its eviction state and counters. Thread-safe: a small lock guards everything; the per-thread
 * caches in front and the thread-affine choice of shard keep it mostly uncontended. A
 * {@link ReentrantLock} rather than {@code synchronized}, so a virtual thread never pins its carrier here.
 */
final class Shard {

    private final ReentrantLock lock = new ReentrantLock();
    private final int index;
    private final int capacity;
    private final SizeClasses classes;
    private final ByteBudget budget;
    private final Eviction eviction;

    // All guarded by lock, except that counts[] is also read without it as a hint (see mayHold).
    private final ByteBuffer[][] stacks;
    private final int[][] stamps; // IdleClock stamp of each held buffer
    private final int[] counts;
    private final long[] hits;
    private final long[] misses;
    private final long[] evictions;
    private int buffers;
    private long bytes;
    private long kept;
    private boolean closed;

    Shard(int index, int capacity, SizeClasses classes, ByteBudget budget, EvictionPolicy policy) {
        this.index = index;
        this.capacity = capacity;
        this.classes = classes;
        this.budget = budget;
        this.eviction = Eviction.create(policy, classes.count(), capacity);
        int count = classes.count();
        this.stacks = new ByteBuffer[count][];
        this.stamps = new int[count][];
        this.counts = new int[count];
        this.hits = new long[count];
        this.misses = new long[count];
        this.evictions = new long[count];
    }

    /**
     * Takes a buffer of the class, counting a hit, or records the demand when there is none (the
     * caller then counts the miss with {@link #recordMiss} if no other shard serves it either).
     */
    ByteBuffer take(int sizeClass) {
        lock.lock();
        try {
            ByteBuffer buffer = pop(sizeClass);
            if (buffer == null) {
                eviction.onMiss(sizeClass);
            }
            return buffer;
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #take} but for a thread homed elsewhere: gives up at once if the lock is busy. */
    ByteBuffer tryTake(int sizeClass) {
        if (counts[sizeClass] == 0 || !lock.tryLock()) {
            return null; // a racy read: at worst a missed chance to reuse, never a wrong buffer
        }
        try {
            return pop(sizeClass);
        } finally {
            lock.unlock();
        }
    }

    private ByteBuffer pop(int sizeClass) {
        int count = counts[sizeClass];
        if (count == 0) {
            return null;
        }
        ByteBuffer[] stack = stacks[sizeClass];
        ByteBuffer buffer = stack[--count];
        stack[count] = null;
        counts[sizeClass] = count;
        buffers--;
        bytes -= buffer.capacity();
        hits[sizeClass]++;
        eviction.onHit(sizeClass);
        budget.release(buffer.capacity());
        return buffer;
    }

    void recordMiss(int sizeClass) {
        lock.lock();
        try {
            misses[sizeClass]++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Offers a returned buffer. When the shard is full, or the pool's byte budget is, the eviction policy
     * decides: evict cold buffers of other classes to make room, or drop the incoming one.
     *
     * @param countAsPut whether this is a caller's {@code put} (counted as kept) rather than a buffer
     *     moved here from a per-thread cache
     * @param evicted    receives each buffer evicted to make room (called under the shard's lock)
     * @return whether the buffer was kept; if not, the caller drops it
     */
    boolean offer(int sizeClass, ByteBuffer buffer, boolean countAsPut, int stamp, Consumer<ByteBuffer> evicted) {
        int size = buffer.capacity();
        lock.lock();
        try {
            if (closed) {
                return false; // a put that raced close(): dropping it keeps "a closed pool holds nothing" true
            }
            if (buffers == capacity) {
                int victimClass = eviction.victim(sizeClass, counts);
                if (victimClass < 0) {
                    evictions[sizeClass]++;
                    return false;
                }
                evict(victimClass, evicted);
            }
            if (!budget.tryReserve(size) && !evictForBytes(sizeClass, size, evicted)) {
                return false;
            }
            push(sizeClass, buffer, stamp);
            if (countAsPut) {
                kept++;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The byte budget is the bound: evict victims the policy picks until the incoming buffer's bytes can
     * be reserved. Gives up before evicting anything when even emptying this shard would not be enough,
     * and stops when the policy prefers dropping the incoming buffer (always, under LIFO).
     */
    private boolean evictForBytes(int sizeClass, int size, Consumer<ByteBuffer> evicted) {
        if (bytes + budget.available() < size) {
            return false;
        }
        do {
            int victimClass = eviction.victim(sizeClass, counts);
            if (victimClass < 0) {
                return false;
            }
            evict(victimClass, evicted);
        } while (!budget.tryReserve(size));
        return true;
    }

    private void evict(int victimClass, Consumer<ByteBuffer> evicted) {
        ByteBuffer victim = removeTop(victimClass);
        budget.release(victim.capacity());
        evicted.accept(victim);
    }

    private ByteBuffer removeTop(int sizeClass) {
        int count = --counts[sizeClass];
        ByteBuffer victim = stacks[sizeClass][count];
        stacks[sizeClass][count] = null;
        buffers--;
        bytes -= victim.capacity();
        evictions[sizeClass]++;
        eviction.onEvicted(sizeClass);
        return victim;
    }

    private void push(int sizeClass, ByteBuffer buffer, int stamp) {
        ByteBuffer[] stack = stacks[sizeClass];
        int count = counts[sizeClass];
        if (stack == null || count == stack.length) {
            int length = Math.min(capacity, Math.max(4, count * 2));
            stack = Arrays.copyOf(stack == null ? new ByteBuffer[0] : stack, length);
            stacks[sizeClass] = stack;
            stamps[sizeClass] = Arrays.copyOf(stamps[sizeClass] == null ? new int[0] : stamps[sizeClass],
                    length);
        }
        stack[count] = buffer;
        stamps[sizeClass][count] = stamp;
        counts[sizeClass] = count + 1;
        buffers++;
        bytes += buffer.capacity();
    }

    /** Whether this shard holds this very buffer (identity). Bounded by the shard's capacity. */
    boolean holds(int sizeClass, ByteBuffer buffer) {
        lock.lock();
        try {
            ByteBuffer[] stack = stacks[sizeClass];
            for (int i = counts[sizeClass] - 1; i >= 0; i--) {
                if (stack[i] == buffer) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the buffers idle past the timeout, oldest first within each class (they sit at the
     * bottom of its stack), and releases their bytes.
     *
     * @return the removed buffers, for the caller to release
     */
    List<ByteBuffer> trim(IdleClock clock, int currentTrim) {
        lock.lock();
        try {
            List<ByteBuffer> removed = new ArrayList<>();
            for (int c = 0; c < stacks.length; c++) {
                int count = counts[c];
                int expired = 0;
                while (expired < count && clock.expired(stamps[c][expired], currentTrim)) {
                    expired++; // stamps grow towards the top, so the expired ones are a prefix
                }
                if (expired == 0) {
                    continue;
                }
                ByteBuffer[] stack = stacks[c];
                for (int i = 0; i < expired; i++) {
                    removed.add(stack[i]);
                    bytes -= stack[i].capacity();
                    budget.release(stack[i].capacity());
                }
                System.arraycopy(stack, expired, stack, 0, count - expired);
                System.arraycopy(stamps[c], expired, stamps[c], 0, count - expired);
                Arrays.fill(stack, count - expired, count, null);
                counts[c] = count - expired;
                buffers -= expired;
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the shard for good: later offers are refused. @return what it held */
    List<ByteBuffer> close() {
        lock.lock();
        try {
            closed = true;
            return drain();
        } finally {
            lock.unlock();
        }
    }

    /** Empties the shard, releasing the bytes, and returns what it held (for close and memory pressure). */
    List<ByteBuffer> drain() {
        lock.lock();
        try {
            List<ByteBuffer> drained = new ArrayList<>(buffers);
            for (int c = 0; c < stacks.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    drained.add(stacks[c][i]);
                    stacks[c][i] = null;
                }
                counts[c] = 0;
            }
            budget.release(bytes);
            buffers = 0;
            bytes = 0;
            return drained;
        } finally {
            lock.unlock();
        }
    }

    ShardStats stats() {
        lock.lock();
        try {
            return new ShardStats(index, buffers, bytes, capacity, sum(hits), sum(misses), sum(evictions));
        } finally {
            lock.unlock();
        }
    }

    /** Adds this shard's per-class figures into the accumulators, atomically for this shard. */
    void addClassStats(long[] pooled, long[] hitsOut, long[] missesOut, long[] evictionsOut) {
        lock.lock();
        try {
            for (int c = 0; c < counts.length; c++) {
                pooled[c] += counts[c];
                hitsOut[c] += hits[c];
                missesOut[c] += misses[c];
                evictionsOut[c] += evictions[c];
            }
        } finally {
            lock.unlock();
        }
    }

    long kept() {
        lock.lock();
        try {
            return kept;
        } finally {
            lock.unlock();
        }
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }
}
