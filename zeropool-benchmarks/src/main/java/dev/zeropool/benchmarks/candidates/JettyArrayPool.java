package dev.zeropool.benchmarks.candidates;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Candidate: Jetty 12's {@link ArrayByteBufferPool} (buckets of 4 KiB steps, each a lock-free pool of
 * reference-counted buffers), direct buffers. Its default largest pooled capacity is 64 KiB; it is
 * raised to {@link Sizes#LARGEST} so that every size measured is really pooled, as a service
 * pooling buffers this large would configure it. Jetty hands buffers out in "flush mode"
 * (limit 0), so the caller's {@code clear()} is part of using it.
 */
@State(Scope.Benchmark)
public class JettyArrayPool {

    private ArrayByteBufferPool pool;

    @Setup(Level.Trial)
    public void open() {
        pool = new ArrayByteBufferPool(0, 0, Sizes.LARGEST);
    }

    public void cycle(int size, Blackhole blackhole) {
        RetainableByteBuffer retainable = pool.acquire(size, true);
        ByteBuffer buffer = retainable.getByteBuffer();
        buffer.clear();
        Touch.ends(buffer, size);
        blackhole.consume(buffer);
        retainable.release();
    }
}
