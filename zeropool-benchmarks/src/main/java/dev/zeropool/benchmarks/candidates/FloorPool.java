package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;

/**
 * The floor: the least work a pool with ZeroPool's contract can do per {@code get}/{@code put}. A
 * {@link ThreadLocal} array stack per power-of-two size class: find this thread's stacks, pop (or
 * allocate on a miss), set position and limit; push back if there is room. No validation, no
 * counters, no byte bound, no sharing between threads, no ownership checks: everything ZeroPool adds
 * on top of this is what the ratio "ZeroPool / floor" prices. Not for use outside benchmarks.
 * Thread-safe only in the sense that each thread has its own stacks.
 */
public final class FloorPool {

    private static final int CLASSES = 31;
    private static final int DEPTH = 8;

    private final ThreadLocal<Stacks> stacks = ThreadLocal.withInitial(Stacks::new);

    /** @return a direct buffer with position 0 and limit {@code size} (1 to 2^30) */
    public ByteBuffer get(int size) {
        int sizeClass = classOf(size);
        Stacks local = stacks.get();
        int count = local.counts[sizeClass];
        if (count == 0) {
            return ByteBuffer.allocateDirect(1 << sizeClass).limit(size);
        }
        local.counts[sizeClass] = count - 1;
        ByteBuffer buffer = local.slots[sizeClass][count - 1];
        buffer.clear().limit(size);
        return buffer;
    }

    /** Keeps the buffer on this thread's stack for its class, or drops it when the stack is full. */
    public void put(ByteBuffer buffer) {
        int sizeClass = classOf(buffer.capacity());
        Stacks local = stacks.get();
        int count = local.counts[sizeClass];
        if (count < DEPTH) {
            local.slots[sizeClass][count] = buffer;
            local.counts[sizeClass] = count + 1;
        }
    }

    /** The power-of-two class holding {@code size}: ceil(log2(size)). */
    private static int classOf(int size) {
        return 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    private static final class Stacks {
        final ByteBuffer[][] slots = new ByteBuffer[CLASSES][DEPTH];
        final int[] counts = new int[CLASSES];
    }
}
