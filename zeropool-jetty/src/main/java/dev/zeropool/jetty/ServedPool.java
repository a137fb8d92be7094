package dev.zeropool.jetty;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * One ZeroPool {@link BufferPool} (direct or heap) serving Jetty, and what Jetty holds from it now.
 * Thread-safe: the pool is, and the counters are {@link LongAdder}s, which Jetty's many threads update
 * without contending on one memory location.
 */
final class ServedPool {

    private final BufferPool pool;
    private final String kind;
    private final LongAdder buffersInUse = new LongAdder();
    private final LongAdder bytesInUse = new LongAdder();
    private final LongAdder removed = new LongAdder();

    ServedPool(BufferPool pool, boolean direct) {
        this.pool = pool;
        this.kind = direct ? "direct" : "heap";
    }

    BufferPool pool() {
        return pool;
    }

    /**
     * Takes a buffer of at least {@code size} bytes from the pool, in the state Jetty's pools hand buffers
     * out: flush mode and empty (position 0, limit 0), big-endian, its whole capacity usable.
     */
    CountedBuffer lease(int size) {
        ByteBuffer buffer = pool.get(size);
        // Jetty's contract (ByteBufferPool.acquire, BufferUtil.reset): position and limit 0. ZeroPool hands
        // out limit = size, the fill-mode convention; flip it so Jetty's BufferUtil.flipToFill works.
        buffer.limit(0).order(ByteOrder.BIG_ENDIAN);
        buffersInUse.increment();
        bytesInUse.add(buffer.capacity());
        return new CountedBuffer(buffer, this);
    }

    /** Called once per lease, by its last release: back to the pool, or dropped if Jetty removed it. */
    void giveBack(CountedBuffer lease, boolean remove) {
        ByteBuffer buffer = lease.buffer();
        buffersInUse.decrement();
        bytesInUse.add(-buffer.capacity());
        if (remove) {
            // Jetty removes a buffer a failed write may still reference; reusing it could mix two responses.
            // Discarded: unpinned, no longer tracked for leaks, and left to the garbage collector.
            removed.increment();
            pool.discard(buffer);
        } else {
            pool.put(buffer);
        }
    }

    long buffersInUse() {
        return buffersInUse.sum();
    }

    long bytesInUse() {
        return bytesInUse.sum();
    }

    long removed() {
        return removed.sum();
    }

    PoolStats stats() {
        return pool.stats();
    }

    String kind() {
        return kind;
    }

    /** One line for Jetty's dump: what the pool holds, what Jetty holds, and how often the pool served. */
    @Override
    public String toString() {
        PoolStats stats = pool.stats();
        return String.format(Locale.ROOT,
                "%s: pooled=%d buffers/%d bytes (max %d), in use by Jetty=%d buffers/%d bytes, removed=%d,"
                        + " gets=%d, puts=%d, hitRate=%.3f, buffer sizes %d..%d, idleTimeout=%s%s",
                kind, stats.pooledBuffers(), stats.pooledBytes(), pool.config().maxPooledBytes(), buffersInUse(),
                bytesInUse(), removed(), stats.gets(), stats.puts(), stats.hitRate(),
                pool.config().minBufferSize(), pool.config().maxBufferSize(), pool.config().idleTimeout(),
                pool.isClosed() ? ", closed" : "");
    }
}
