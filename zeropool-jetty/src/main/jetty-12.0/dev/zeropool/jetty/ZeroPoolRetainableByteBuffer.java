package dev.zeropool.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A buffer {@link ZeroPoolByteBufferPool} hands out (the Jetty 12.0 form): a ZeroPool {@link ByteBuffer}
 * with Jetty's reference counting. It starts with one reference; the {@link #release()} that drops the last
 * hands the buffer back to its ZeroPool pool, on whatever thread calls it, and any later {@code release()} or
 * {@link #retain()} throws {@link IllegalStateException}. Thread-safe; the {@code ByteBuffer} itself is not,
 * as usual.
 */
public final class ZeroPoolRetainableByteBuffer implements RetainableByteBuffer {

    private final CountedBuffer lease;

    ZeroPoolRetainableByteBuffer(ByteBufferPool pool, CountedBuffer lease) {
        // Jetty 12.0 buffers do not know their pool; 12.1's do (the constructors match so the pool's code does).
        this.lease = lease;
    }

    CountedBuffer lease() {
        return lease;
    }

    /** @return the pooled buffer; do not use it after the last release */
    @Override
    public ByteBuffer getByteBuffer() {
        return lease.buffer();
    }

    /** @return true: the buffer is reference counted */
    @Override
    public boolean canRetain() {
        return true;
    }

    /** @return whether more than one reference is held */
    @Override
    public boolean isRetained() {
        return lease.references() > 1;
    }

    /**
     * Adds a reference, to be dropped by one more {@link #release()}.
     *
     * @throws IllegalStateException if the buffer was already released to the pool
     */
    @Override
    public void retain() {
        lease.retain();
    }

    /**
     * Drops a reference; dropping the last hands the buffer back to its pool.
     *
     * @return whether this call dropped the last reference
     * @throws IllegalStateException if the buffer was already released
     */
    @Override
    public boolean release() {
        return lease.release();
    }

    @Override
    public String toString() {
        ByteBuffer buffer = lease.buffer();
        return String.format("%s@%x[rc=%d,%s,p=%d,l=%d,c=%d]", getClass().getSimpleName(), hashCode(),
                lease.references(), buffer.isDirect() ? "direct" : "heap", buffer.position(), buffer.limit(),
                buffer.capacity());
    }
}
