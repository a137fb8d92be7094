package dev.zeropool;

import java.nio.ByteBuffer;

/**
 * One buffer taken from a {@link BufferPool}, handed back by {@link #close()}: the try-with-resources
 * form of {@code get} and {@code put}.
 *
 * <pre>{@code
 * try (BufferLease lease = pool.lease(64 * 1024)) {
 *     ByteBuffer buffer = lease.buffer();
 *     channel.read(buffer);
 * } // the buffer goes back here, once, on every path
 * }</pre>
 *
 * <p>Ownership: the buffer belongs to the lease's holder from {@link BufferPool#lease(int)} until
 * {@code close()}; from then on it is the pool's, and the holder must not read, write or keep it (nor any
 * view of it). {@code close()} hands it back exactly once: later calls do nothing, so closing a lease the
 * code already closed on another path is harmless.
 *
 * <p>Not thread-safe: a lease has one holder at a time. It may be handed to another thread (with the
 * usual happens-before of the hand-off, like any object) and closed there, but two threads must not close
 * it at once.
 */
public final class BufferLease implements AutoCloseable {

    private final BufferPool pool;
    private final ByteBuffer buffer;
    private boolean closed;

    BufferLease(BufferPool pool, ByteBuffer buffer) {
        this.pool = pool;
        this.buffer = buffer;
    }

    /**
     * @return the leased buffer, exactly as {@link BufferPool#get(int)} returned it (the same object on
     *     every call)
     * @throws IllegalStateException if the lease is closed: the buffer is the pool's again
     */
    public ByteBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("BufferLease is closed: its buffer (capacity " + buffer.capacity()
                    + ") went back to the pool at close() and may already belong to another holder; "
                    + "take a new lease with lease(size)");
        }
        return buffer;
    }

    /** Whether {@link #close()} has handed the buffer back. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Hands the buffer back to the pool, as {@link BufferPool#put(ByteBuffer)} does; does nothing if the
     * lease is already closed. If the put throws (a misuse the pool detects), the lease stays closed:
     * its buffer is not handed back a second time.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.put(buffer);
        }
    }

    @Override
    public String toString() {
        return "BufferLease[capacity " + buffer.capacity() + (closed ? ", closed]" : "]");
    }
}
