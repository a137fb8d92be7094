package dev.zeropool;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Allocates the pool's buffers and pins (mlocks) them when asked, keeping exact account of what is
 * locked. Thread-safe.
 *
 * <p>Pinned buffers are page-aligned and own whole pages, because mlock works on pages: two buffers
 * sharing a page would unlock each other. Which buffers are locked is tracked by identity, so unlocking
 * is idempotent: a buffer dropped twice (say, by {@code close()} racing a late {@code put}) is
 * unlocked and uncounted once.
 *
 * <p>Memory is never freed here: dropped buffers go to the garbage collector (see {@link BufferPool}).
 */
final class BufferFactory {

    private final boolean direct;
    private final MemoryLocker locker;
    private final System.Logger log;
    private final Set<ByteBuffer> pinned; // guarded by itself
    private long pinnedBytes; // guarded by pinned
    private volatile boolean pinningFailed;

    /**
     * @param locker   how to pin, or {@code null} not to pin
     * @param log      where the one line about unavailable pinning goes
     */
    BufferFactory(boolean direct, MemoryLocker locker, System.Logger log) {
        this.direct = direct;
        this.locker = locker;
        this.log = log;
        this.pinned = locker == null ? Set.of() : Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** A new buffer of exactly {@code capacity} bytes, pinned when pinning is on and still works. */
    ByteBuffer allocate(int capacity) {
        if (!direct) {
            return ByteBuffer.allocate(capacity);
        }
        if (locker == null || pinningFailed || capacity == 0) {
            return ByteBuffer.allocateDirect(capacity);
        }
        ByteBuffer buffer = allocatePageAligned(capacity);
        String failure = locker.lock(buffer);
        if (failure == null) {
            synchronized (pinned) {
                pinned.add(buffer);
                pinnedBytes += capacity;
            }
        } else {
            // One line, once: later buffers stay unpinned instead of failing again per allocation.
            pinningFailed = true;
            log.log(Level.WARNING, "ZeroPool: pinned memory requested but not available, buffers are not locked: {0}",
                    failure);
        }
        return buffer;
    }

    /**
     * A new buffer of exactly {@code capacity} bytes, never pinned: for leak detection's spares, whose
     * holder may leak them (a pinned buffer stays registered until released), and for unpooled buffers,
     * which pinning does not cover.
     */
    ByteBuffer allocateUnpinned(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private ByteBuffer allocatePageAligned(int capacity) {
        int page = locker.pageSize();
        long pages = ((long) capacity + page - 1) / page;
        long raw = (pages + 1) * page; // one spare page to align within
        if (raw > Integer.MAX_VALUE) {
            return ByteBuffer.allocateDirect(capacity);
        }
        ByteBuffer aligned = ByteBuffer.allocateDirect((int) raw).alignedSlice(page);
        return aligned.limit(capacity).slice();
    }

    /** Unlocks a buffer if this factory locked it; safe to call for any buffer, any number of times. */
    void release(ByteBuffer buffer) {
        if (locker == null) {
            return;
        }
        synchronized (pinned) {
            if (!pinned.remove(buffer)) {
                return;
            }
            pinnedBytes -= buffer.capacity();
        }
        locker.unlock(buffer);
    }

    long pinnedBytes() {
        synchronized (pinned) {
            return pinnedBytes;
        }
    }

    boolean isDirect() {
        return direct;
    }
}
