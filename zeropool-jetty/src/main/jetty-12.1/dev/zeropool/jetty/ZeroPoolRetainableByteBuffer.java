package dev.zeropool.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A buffer {@link ZeroPoolByteBufferPool} hands out (the Jetty 12.1 form): a ZeroPool {@link ByteBuffer}
 * with Jetty's reference counting, as a {@link RetainableByteBuffer.Pooled} (slices retain it, copies come
 * from the same pool). It starts with one reference; the {@link #release()} that drops the last hands the
 * buffer back to its ZeroPool pool, on whatever thread calls it, and any later {@code release()} or
 * {@link #retain()} throws {@link IllegalStateException}. Thread-safe as to references; the buffer's content
 * and positions are not, as usual.
 */
public final class ZeroPoolRetainableByteBuffer extends RetainableByteBuffer.Pooled {

    private final CountedBuffer lease;

    ZeroPoolRetainableByteBuffer(ByteBufferPool pool, CountedBuffer lease) {
        super(pool, lease.buffer(), new LeaseReferences(lease));
        this.lease = lease;
    }

    CountedBuffer lease() {
        return lease;
    }

    /** Jetty 12.1's reference counting, over the lease's count. */
    private static final class LeaseReferences implements Retainable {

        private final CountedBuffer lease;

        LeaseReferences(CountedBuffer lease) {
            this.lease = lease;
        }

        @Override
        public boolean canRetain() {
            return true;
        }

        @Override
        public boolean isRetained() {
            return lease.references() > 1;
        }

        @Override
        public int getRetained() {
            return lease.references();
        }

        @Override
        public void retain() {
            lease.retain();
        }

        @Override
        public boolean release() {
            return lease.release();
        }

        @Override
        public String toString() {
            return lease.toString();
        }
    }
}
