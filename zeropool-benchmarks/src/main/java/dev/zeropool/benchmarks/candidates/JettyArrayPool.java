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
 * Candidate: Jetty 12.1's {@link ArrayByteBufferPool} (buckets of 4 KiB steps, each a lock-free pool of
 * reference-counted buffers), direct buffers, its default settings otherwise (the version is the latest
 * release, see the module's pom). Its default largest pooled capacity is 64 KiB; it is
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

    /**
     * Takes a buffer of {@code size} bytes, cleared to "fill mode" with both ends written; the caller owns
     * it until {@link #give}.
     */
    public RetainableByteBuffer take(int size) {
        RetainableByteBuffer retainable = pool.acquire(size, true);
        ByteBuffer buffer = retainable.getByteBuffer();
        buffer.clear();
        Touch.ends(buffer, size);
        return retainable;
    }

    /** Gives back a buffer from {@link #take} (releases it), from any thread. */
    public void give(RetainableByteBuffer retainable) {
        retainable.release();
    }
}
