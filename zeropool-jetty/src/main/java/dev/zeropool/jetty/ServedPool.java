package dev.zeropool.jetty;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final LongAdder servedAfterClose = new LongAdder();
    private final AtomicBoolean toldOfClose = new AtomicBoolean();
    private final boolean direct;

    ServedPool(BufferPool pool, boolean direct) {
        this.pool = pool;
        this.direct = direct;
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
        ByteBuffer buffer;
        boolean pooled = !pool.isClosed(); // looked at first: a get's refusal would cost an exception each time
        if (pooled) {
            try {
                buffer = pool.get(size);
            } catch (IllegalStateException refused) {
                if (!pool.isClosed()) {
                    throw refused; // STRICT validation's refusal of a buffer written after its put: a bug to see
                }
                pooled = false; // closed since we looked
                buffer = unpooledAfterClose(size);
            }
        } else {
            buffer = unpooledAfterClose(size);
        }
        // Jetty's contract (ByteBufferPool.acquire, BufferUtil.reset): position and limit 0. ZeroPool hands
        // out limit = size, the fill-mode convention; flip it so Jetty's BufferUtil.flipToFill works.
        buffer.limit(0).order(ByteOrder.BIG_ENDIAN);
        buffersInUse.increment();
        bytesInUse.add(buffer.capacity());
        return new CountedBuffer(buffer, this, pooled);
    }

    /**
     * The pool was closed while Jetty still runs: a request finishing after the pool closed (Spring Boot
     * closes its beans before it stops the Jetty server, past the graceful-shutdown timeout) gets a fresh
     * buffer the garbage collector takes back, as Jetty's own pools would serve it, instead of a failed
     * acquire. Counted, and logged once, because a server that keeps running on a closed pool has lost
     * its pooling.
     */
    private ByteBuffer unpooledAfterClose(int size) {
        servedAfterClose.increment();
        if (toldOfClose.compareAndSet(false, true)) {
            System.getLogger(ZeroPoolByteBufferPool.class.getName()).log(System.Logger.Level.WARNING,
                    "the ZeroPool " + kind + " pool serving Jetty is closed; Jetty's further buffers are allocated"
                            + " unpooled (stop the server or client before closing its pool)");
        }
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
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
            if (lease.pooled()) {
                pool.discard(buffer);
            }
        } else if (lease.pooled()) {
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

    /** @return buffers served unpooled because the pool was closed (see {@link #unpooledAfterClose}) */
    long servedAfterClose() {
        return servedAfterClose.sum();
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
                pool.isClosed() ? ", closed (served unpooled since: " + servedAfterClose() + ")" : "");
    }
}
