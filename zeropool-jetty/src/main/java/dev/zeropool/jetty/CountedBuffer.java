package dev.zeropool.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ZeroPool buffer lent to Jetty, and the count of Jetty's references to it. The buffer goes back to its
 * {@link ServedPool} exactly once: when the count falls from one to zero, on whichever thread makes it fall.
 *
 * <p>Why an atomic count and not a lock: Jetty retains and releases a buffer from its selector, worker and
 * writer threads, and a release must know without a race whether it was the last. The compare-and-set loop
 * makes the fall to zero happen once; it also gives the hand-back a happens-before edge from every holder's
 * last use, since each holder's release is an atomic read-modify-write on the same count. Any release or
 * retain after that fall is a holder bug: it throws instead of returning the buffer a second time, so the
 * pool never hands one buffer to two holders.
 *
 * <p>Jetty-version neutral: the Jetty-facing {@code ZeroPoolRetainableByteBuffer} of each Jetty line
 * delegates here.
 */
final class CountedBuffer {

    private final ByteBuffer buffer;
    private final ServedPool origin;
    private final boolean pooled; // false for a buffer served after its pool closed: nothing to give back
    private final AtomicInteger references = new AtomicInteger(1);
    // Set before the last release by ByteBufferPool.removeAndRelease: the buffer must not be reused.
    private volatile boolean removed;

    CountedBuffer(ByteBuffer buffer, ServedPool origin, boolean pooled) {
        this.buffer = buffer;
        this.origin = origin;
        this.pooled = pooled;
    }

    /** @return whether the buffer came from the pool (else, served after the pool closed, the GC takes it) */
    boolean pooled() {
        return pooled;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** @return Jetty's references to the buffer now; 0 once it went back to the pool */
    int references() {
        return references.get();
    }

    /**
     * Adds a reference.
     *
     * @throws IllegalStateException if the buffer was already released to the pool
     */
    void retain() {
        int count;
        do {
            count = references.get();
            if (count == 0) {
                throw new IllegalStateException("cannot retain " + describe()
                        + ": it was already released and is back in the pool");
            }
        } while (!references.compareAndSet(count, count + 1));
    }

    /**
     * Drops a reference; the last one hands the buffer back (or, after {@link #remove()}, drops it).
     *
     * @return whether this call dropped the last reference
     * @throws IllegalStateException if the buffer was already released (released more often than acquired
     *     plus retained)
     */
    boolean release() {
        int count;
        do {
            count = references.get();
            if (count == 0) {
                throw new IllegalStateException(describe() + " was already released: release() was called once"
                        + " more than acquire() plus retain()");
            }
        } while (!references.compareAndSet(count, count - 1));
        if (count == 1) {
            origin.giveBack(this, removed);
            return true;
        }
        return false;
    }

    /** Marks the buffer as not to be reused: its last release drops it instead of returning it. */
    void remove() {
        removed = true;
    }

    String describe() {
        return "ZeroPool " + (buffer.isDirect() ? "direct" : "heap") + " buffer of capacity " + buffer.capacity();
    }

    @Override
    public String toString() {
        return describe() + "[references=" + references.get() + "]";
    }
}
