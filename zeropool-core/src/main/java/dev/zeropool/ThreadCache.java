package dev.zeropool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One platform thread's cache for one pool: per size class a small stack, at most {@code maxBuffers}
 * buffers in all.
 *
 * <p>Threading: only the owner thread mutates it ({@link #pop}, {@link #push}), with plain reads and
 * single-writer opaque stores, no lock and no read-modify-write. Other threads only read its counters
 * for statistics, with opaque loads (never torn, eventually current). Two exceptions hand the cache to
 * another thread: after the owner has ended ({@link Thread#isAlive()} returning false happens-after
 * the owner's last action), the pool reclaims it whole; and {@link #abandon} on close, which clears
 * slots racily and is safe because it never hands a buffer out, only forgets it.
 *
 * <p>Byte budget: the cache reserves bytes from the pool's {@link ByteBudget} before it keeps a buffer
 * and, when a buffer leaves, keeps those bytes as credit for the next buffer instead of giving them
 * back. So a steady get/put rhythm never touches the shared budget, the bytes held never exceed what
 * was reserved, and what a thread reserves is bounded by the most its cache ever held (returned when
 * the cache is drained).
 */
final class ThreadCache {

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle KEPT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            KEPT = lookup.findVarHandle(ThreadCache.class, "kept", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final int homeShard;
    private final int maxBuffers;
    private final ByteBuffer[][] stacks;
    private final int[] lastReturn; // owner only: IdleClock stamp of each class's latest push
    private final int[] counts;     // owner writes opaque, readers load opaque
    private final long[] hitsByClass; // owner writes opaque, readers load opaque
    private int buffers;            // owner only
    private long credit;            // owner only: reserved bytes not backing a held buffer
    private long heldBytes;         // owner only
    private long kept;              // owner writes opaque, readers load opaque
    private int trimSeen;           // owner only: the last trim this cache applied to itself
    private int untilLeakSample = LeakDetector.nextSampleCountdown(); // owner only

    ThreadCache(Thread owner, int homeShard, int maxBuffers, int sizeClasses) {
        this.owner = owner;
        this.homeShard = homeShard;
        this.maxBuffers = maxBuffers;
        this.stacks = new ByteBuffer[sizeClasses][];
        this.lastReturn = new int[sizeClasses];
        this.counts = new int[sizeClasses];
        this.hitsByClass = new long[sizeClasses];
    }

    int homeShard() {
        return homeShard;
    }

    boolean ownerEnded() {
        return !owner.isAlive();
    }

    /** Owner only. A cached buffer of the class, or {@code null}. Counts the hit. */
    ByteBuffer pop(int sizeClass) {
        int count = counts[sizeClass];
        if (count == 0) {
            return null;
        }
        ByteBuffer[] stack = stacks[sizeClass];
        ByteBuffer buffer = stack[--count];
        stack[count] = null;
        INTS.setOpaque(counts, sizeClass, count);
        if (buffer == null) {
            return null; // cleared by close() racing this call: the pool is closed, nothing to serve
        }
        buffers--;
        int size = buffer.capacity();
        credit += size;
        heldBytes -= size;
        LONGS.setOpaque(hitsByClass, sizeClass, hitsByClass[sizeClass] + 1);
        return buffer;
    }

    /** Owner only. Keeps the buffer if there is room and budget; counts it as a kept put. */
    boolean push(int sizeClass, ByteBuffer buffer, ByteBudget budget, int stamp) {
        if (buffers == maxBuffers) {
            return false;
        }
        int size = buffer.capacity();
        if (credit >= size) {
            credit -= size;
        } else if (budget.tryReserve(size - credit)) {
            credit = 0;
        } else {
            return false;
        }
        ByteBuffer[] stack = stacks[sizeClass];
        if (stack == null) {
            stack = new ByteBuffer[maxBuffers];
            stacks[sizeClass] = stack;
        }
        int count = counts[sizeClass];
        stack[count] = buffer;
        lastReturn[sizeClass] = stamp;
        INTS.setOpaque(counts, sizeClass, count + 1);
        buffers++;
        heldBytes += size;
        KEPT.setOpaque(this, kept + 1);
        return true;
    }

    /** Owner only. Whether this very buffer is cached here. Bounded by {@code maxBuffers}. */
    boolean holds(int sizeClass, ByteBuffer buffer) {
        ByteBuffer[] stack = stacks[sizeClass];
        for (int i = counts[sizeClass] - 1; i >= 0; i--) {
            if (stack[i] == buffer) {
                return true;
            }
        }
        return false;
    }

    /** Owner only. Whether this get is one leak detection samples: about one in {@code SAMPLE_INTERVAL}. */
    boolean sampleLeak() {
        if (--untilLeakSample > 0) {
            return false;
        }
        untilLeakSample = LeakDetector.nextSampleCountdown();
        return true;
    }

    /** Owner only. Whether a trim has run since this cache last trimmed itself. */
    boolean trimPending(int currentTrim) {
        return currentTrim != trimSeen;
    }

    /**
     * Owner only. Applies the latest trim to this cache: drops every size class that has received no
     * buffer for the idle timeout (a class's buffers are at most {@code maxBuffers}, and one stamp per
     * class keeps the hit path to a single store), and gives their bytes, and the credit this thread has
     * hoarded, back to the budget.
     *
     * @return the removed buffers, for the caller to release
     */
    List<ByteBuffer> trim(IdleClock clock, int currentTrim, ByteBudget budget) {
        trimSeen = currentTrim;
        List<ByteBuffer> removed = new ArrayList<>();
        long removedBytes = 0;
        for (int c = 0; c < stacks.length; c++) {
            int count = counts[c];
            if (count == 0 || !clock.expired(lastReturn[c], currentTrim)) {
                continue;
            }
            ByteBuffer[] stack = stacks[c];
            for (int i = 0; i < count; i++) {
                if (stack[i] != null) {
                    removed.add(stack[i]);
                    removedBytes += stack[i].capacity();
                    stack[i] = null;
                }
            }
            INTS.setOpaque(counts, c, 0);
        }
        buffers -= removed.size();
        heldBytes -= removedBytes;
        budget.release(removedBytes + credit);
        credit = 0;
        return removed;
    }

    /**
     * Owner only, or anyone once the owner has ended. Empties the cache, gives all its reserved
     * bytes back to the budget and returns the buffers it held, in class order.
     */
    List<ByteBuffer> drain(ByteBudget budget) {
        List<ByteBuffer> drained = new ArrayList<>(buffers);
        for (int c = 0; c < stacks.length; c++) {
            ByteBuffer[] stack = stacks[c];
            for (int i = 0; i < counts[c]; i++) {
                if (stack[i] != null) {
                    drained.add(stack[i]);
                    stack[i] = null;
                }
            }
            INTS.setOpaque(counts, c, 0);
        }
        budget.release(heldBytes + credit);
        buffers = 0;
        credit = 0;
        heldBytes = 0;
        return drained;
    }

    /**
     * Any thread, on close only: forgets every cached buffer it can see, handing each to
     * {@code release} (to unpin it). Racy with the owner by design: it only clears slots, never hands
     * a buffer out, so at worst it misses a buffer the owner is pushing at that instant, which the
     * owner then drops on its next call, when it sees the pool closed.
     */
    void abandon(Consumer<ByteBuffer> release) {
        for (int c = 0; c < stacks.length; c++) {
            ByteBuffer[] stack = stacks[c];
            if (stack == null) {
                continue;
            }
            for (int i = 0; i < stack.length; i++) {
                ByteBuffer buffer = stack[i];
                if (buffer != null) {
                    stack[i] = null;
                    release.accept(buffer);
                }
            }
            INTS.setOpaque(counts, c, 0);
        }
    }

    // Readers from any thread: opaque loads of single-writer fields.

    long kept() {
        return (long) KEPT.getOpaque(this);
    }

    /** Adds this cache's per-class buffer counts and hits into the accumulators. */
    void addClassStats(long[] pooled, long[] tlsHits) {
        for (int c = 0; c < counts.length; c++) {
            pooled[c] += (int) INTS.getOpaque(counts, c);
            tlsHits[c] += (long) LONGS.getOpaque(hitsByClass, c);
        }
    }
}
