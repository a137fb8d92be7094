package dev.zeropool.jetty;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import java.io.IOException;
import java.util.Objects;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.ManagedOperation;
import org.eclipse.jetty.util.component.Dumpable;

/**
 * A Jetty 12 {@link ByteBufferPool} backed by ZeroPool: {@link #acquire(int, boolean) acquire} serves direct
 * requests from a direct {@link BufferPool} and heap requests from a heap one, so the memory a Jetty server or
 * {@code HttpClient} holds is bounded by the pools' {@code maxPooledBytes}, trimmed when idle, and visible in
 * the pools' {@link BufferPool#stats() stats} (and in {@code /actuator/zeropool} when the pools are Spring
 * beans).
 *
 * <pre>{@code
 * ZeroPoolByteBufferPool buffers = new ZeroPoolByteBufferPool();   // owns a direct and a heap pool
 * Server server = new Server(new QueuedThreadPool(), null, buffers);
 * HttpClient client = new HttpClient();
 * client.setByteBufferPool(buffers);
 * // ... after server.stop() and client.stop():
 * buffers.close();
 * }</pre>
 *
 * <h2>Buffers and references</h2>
 * Each buffer is handed out as Jetty's pools hand theirs out: empty, in flush mode (position and limit 0),
 * big-endian, with a capacity of at least the size asked (ZeroPool's size class; above the pool's
 * {@code maxBufferSize}, where ZeroPool serves a fresh unpooled buffer, the size itself, one byte more for
 * exactly {@code maxBufferSize + 1}: see {@code BufferPool.get}). It carries one reference;
 * {@link RetainableByteBuffer#retain()} adds one, {@link RetainableByteBuffer#release()} drops one, and the
 * release that drops the last hands the {@code ByteBuffer} back to its pool, on whatever thread makes it.
 * From then on the buffer is the pool's: a further {@code release()} or {@code retain()} throws
 * {@link IllegalStateException} naming the buffer, and the pool is never given it twice.
 *
 * <h2>Ownership of the pools</h2>
 * {@link #ZeroPoolByteBufferPool(BufferPool, BufferPool)} borrows two pools (Spring beans, say) and never
 * closes them; {@link #owning(BufferPool, BufferPool)} and {@link #ZeroPoolByteBufferPool()} own theirs and
 * close them in {@link #close()}. Either way the pools stay usable by other code: a shared pool serves Jetty
 * and the application alike.
 *
 * <h2>Jetty conventions</h2>
 * {@link #clear()} is ZeroPool's {@link BufferPool#clear()} on both pools; {@link #dump(Appendable, String)}
 * writes one line per pool into Jetty's component dump; the JMX attributes mirror
 * {@code ArrayByteBufferPool}'s (memory and buffer counts, total and available) when Jetty's
 * {@code MBeanContainer} is in use.
 *
 * <p>Thread-safe.
 */
@ManagedObject("A ByteBufferPool backed by ZeroPool")
public final class ZeroPoolByteBufferPool implements ByteBufferPool, Dumpable, AutoCloseable {

    private final ServedPool direct;
    private final ServedPool heap;
    private final boolean ownsPools;

    /**
     * A pool over two borrowed ZeroPool pools, which it never closes.
     *
     * @param direct serves {@code acquire(size, true)}; must hand out direct buffers
     * @param heap serves {@code acquire(size, false)}; must hand out heap buffers
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if {@code direct} is a heap pool, {@code heap} a direct one, or either is
     *     closed
     */
    public ZeroPoolByteBufferPool(BufferPool direct, BufferPool heap) {
        this(direct, heap, false);
    }

    /**
     * A pool over a direct and a heap ZeroPool pool of default settings ({@link BufferPool.Builder}), which it
     * owns and closes in {@link #close()}.
     */
    public ZeroPoolByteBufferPool() {
        this(BufferPool.builder().direct(true).build(), BufferPool.builder().direct(false).build(), true);
    }

    private ZeroPoolByteBufferPool(BufferPool direct, BufferPool heap, boolean ownsPools) {
        this.direct = new ServedPool(checked(direct, "direct", true), true);
        this.heap = new ServedPool(checked(heap, "heap", false), false);
        this.ownsPools = ownsPools;
    }

    /**
     * A pool over two ZeroPool pools it takes ownership of: {@link #close()} closes them. Use it to configure
     * the pools (bounds, idle timeout) and still have one thing to close.
     *
     * @param direct serves {@code acquire(size, true)}; must hand out direct buffers
     * @param heap serves {@code acquire(size, false)}; must hand out heap buffers
     * @return a new pool that owns both
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if {@code direct} is a heap pool, {@code heap} a direct one, or either is
     *     closed
     */
    public static ZeroPoolByteBufferPool owning(BufferPool direct, BufferPool heap) {
        return new ZeroPoolByteBufferPool(direct, heap, true);
    }

    private static BufferPool checked(BufferPool pool, String role, boolean mustBeDirect) {
        Objects.requireNonNull(pool, role + " pool");
        if (pool.config().direct() != mustBeDirect) {
            throw new IllegalArgumentException("the " + role + " pool must hand out " + (mustBeDirect ? "direct" : "heap")
                    + " buffers (BufferPool.builder().direct(" + mustBeDirect + ")), but it hands out "
                    + (mustBeDirect ? "heap" : "direct") + " ones: " + pool);
        }
        if (pool.isClosed()) {
            throw new IllegalArgumentException("the " + role + " pool is closed: " + pool);
        }
        return pool;
    }

    /**
     * Takes a buffer from the direct or the heap pool. The caller holds one reference and must release it
     * (see the class comment). Thread-safe.
     *
     * @param size bytes needed, in [0, 2147483647]; the capacity is at least this
     * @param direct whether a direct buffer is needed
     * @return an empty buffer in flush mode (position and limit 0), big-endian, with one reference; once the
     *     pool serving {@code direct} is closed, a fresh unpooled one of capacity {@code size} that its last
     *     release leaves to the garbage collector (logged once, counted in the dump), so that requests still
     *     running when an application closes its pools before its server finish
     * @throws IllegalArgumentException if {@code size} is negative
     */
    @Override
    public ZeroPoolRetainableByteBuffer acquire(int size, boolean direct) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be in [0, " + Integer.MAX_VALUE + "] bytes, was " + size);
        }
        return new ZeroPoolRetainableByteBuffer(this, (direct ? this.direct : this.heap).lease(size));
    }

    /**
     * Jetty 12.0's experimental {@code ByteBufferPool.removeAndRelease} (Jetty 12.1 dropped it): releases one
     * reference to {@code buffer} and, if it is one of this pool's or wraps one (a {@code Retainable.Wrapper}
     * chain, as Jetty's wrappers and 12.1's slices are), makes sure that one is never reused: its last
     * release discards it ({@code BufferPool.discard}: unpinned, no longer tracked, left to the garbage
     * collector) instead of handing it back. Jetty calls it for a buffer a failed
     * write may still reference.
     *
     * @param buffer a buffer from any pool, or null
     * @return whether the release dropped the last reference ({@code false} for null)
     * @throws IllegalStateException if {@code buffer} is one of this pool's and was already released
     */
    public boolean removeAndRelease(RetainableByteBuffer buffer) {
        if (buffer == null) {
            return false;
        }
        // Follow Retainable.Wrapper, not only RetainableByteBuffer.Wrapper: a Jetty 12.1 slice of ours is a new
        // Pooled whose reference counter is ours, and both wrappers extend Retainable.Wrapper on 12.0 and 12.1.
        // Ours is a Retainable.Wrapper too (over its lease's count), so stop at it.
        Retainable actual = buffer;
        while (!(actual instanceof ZeroPoolRetainableByteBuffer) && actual instanceof Retainable.Wrapper wrapper) {
            actual = wrapper.getWrapped();
        }
        if (actual instanceof ZeroPoolRetainableByteBuffer ours) {
            ours.lease().remove();
        }
        return buffer.release();
    }

    /**
     * Jetty's "clear the pool", as {@code ArrayByteBufferPool.clear()} does it: drops every buffer the two pools'
     * shards hold now ({@link BufferPool#clear()}), giving their memory back at once. Buffers Jetty holds are
     * untouched and still come back when released; the few kept in threads' own caches are taken back by the
     * pools' {@code trim()}. Thread-safe.
     */
    @Override
    @ManagedOperation(value = "Drops every buffer the pools hold idle (ZeroPool clear)", impact = "ACTION")
    public void clear() {
        direct.pool().clear();
        heap.pool().clear();
    }

    /** @return the pool serving direct buffers (borrowed or owned; never closed by the caller if owned) */
    public BufferPool directPool() {
        return direct.pool();
    }

    /** @return the pool serving heap buffers (borrowed or owned; never closed by the caller if owned) */
    public BufferPool heapPool() {
        return heap.pool();
    }

    /** @return whether {@link #close()} closes the two pools */
    public boolean ownsPools() {
        return ownsPools;
    }

    /** @return bytes of direct memory held for Jetty: pooled and idle, plus in use by Jetty now */
    @ManagedAttribute("The bytes retained by direct ByteBuffers: pooled plus in use")
    public long getDirectMemory() {
        return direct.stats().pooledBytes() + direct.bytesInUse();
    }

    /** @return bytes of heap memory held for Jetty: pooled and idle, plus in use by Jetty now */
    @ManagedAttribute("The bytes retained by heap ByteBuffers: pooled plus in use")
    public long getHeapMemory() {
        return heap.stats().pooledBytes() + heap.bytesInUse();
    }

    /** @return bytes of direct buffers pooled and idle, ready to be acquired */
    @ManagedAttribute("The bytes of pooled direct ByteBuffers that are available")
    public long getAvailableDirectMemory() {
        return direct.stats().pooledBytes();
    }

    /** @return bytes of heap buffers pooled and idle, ready to be acquired */
    @ManagedAttribute("The bytes of pooled heap ByteBuffers that are available")
    public long getAvailableHeapMemory() {
        return heap.stats().pooledBytes();
    }

    /** @return direct buffers pooled and idle plus those Jetty holds now */
    @ManagedAttribute("The number of direct ByteBuffers: pooled plus in use")
    public long getDirectByteBufferCount() {
        return direct.stats().pooledBuffers() + direct.buffersInUse();
    }

    /** @return heap buffers pooled and idle plus those Jetty holds now */
    @ManagedAttribute("The number of heap ByteBuffers: pooled plus in use")
    public long getHeapByteBufferCount() {
        return heap.stats().pooledBuffers() + heap.buffersInUse();
    }

    /** @return direct buffers pooled and idle */
    @ManagedAttribute("The number of pooled direct ByteBuffers that are available")
    public long getAvailableDirectByteBufferCount() {
        return direct.stats().pooledBuffers();
    }

    /** @return heap buffers pooled and idle */
    @ManagedAttribute("The number of pooled heap ByteBuffers that are available")
    public long getAvailableHeapByteBufferCount() {
        return heap.stats().pooledBuffers();
    }

    /** @return direct buffers Jetty holds now (acquired, last reference not yet released) */
    @ManagedAttribute("The number of direct ByteBuffers Jetty holds now")
    public long getDirectByteBuffersInUse() {
        return direct.buffersInUse();
    }

    /** @return heap buffers Jetty holds now (acquired, last reference not yet released) */
    @ManagedAttribute("The number of heap ByteBuffers Jetty holds now")
    public long getHeapByteBuffersInUse() {
        return heap.buffersInUse();
    }

    /** @return the direct pool's bound on the bytes it keeps ({@code maxPooledBytes}) */
    @ManagedAttribute("The most bytes the direct pool keeps (maxPooledBytes)")
    public long getMaxDirectMemory() {
        return direct.pool().config().maxPooledBytes();
    }

    /** @return the heap pool's bound on the bytes it keeps ({@code maxPooledBytes}) */
    @ManagedAttribute("The most bytes the heap pool keeps (maxPooledBytes)")
    public long getMaxHeapMemory() {
        return heap.pool().config().maxPooledBytes();
    }

    /** @return the share of direct acquires served without allocating; 1.0 before the first */
    @ManagedAttribute("The share of direct acquires served without allocating")
    public double getDirectHitRate() {
        return direct.stats().hitRate();
    }

    /** @return the share of heap acquires served without allocating; 1.0 before the first */
    @ManagedAttribute("The share of heap acquires served without allocating")
    public double getHeapHitRate() {
        return heap.stats().hitRate();
    }

    /** @return buffers dropped instead of reused because Jetty removed them ({@link #removeAndRelease}) */
    @ManagedAttribute("The number of buffers Jetty removed from reuse (removeAndRelease)")
    public long getRemovedByteBufferCount() {
        return direct.removed() + heap.removed();
    }

    /** @return a snapshot of the direct pool's statistics ({@link BufferPool#stats()}) */
    public PoolStats directStats() {
        return direct.stats();
    }

    /** @return a snapshot of the heap pool's statistics ({@link BufferPool#stats()}) */
    public PoolStats heapStats() {
        return heap.stats();
    }

    /** Writes this pool and one line per ZeroPool pool into Jetty's component dump. */
    @Override
    public void dump(Appendable out, String indent) throws IOException {
        Dumpable.dumpObjects(out, indent, this, direct, heap);
    }

    /**
     * Closes the two pools if this owns them (see the class comment); otherwise does nothing. Call it after the
     * Jetty components using it have stopped: buffers released later are dropped, not pooled. Idempotent.
     */
    @Override
    public void close() {
        if (ownsPools) {
            direct.pool().close();
            heap.pool().close();
        }
    }

    @Override
    public String toString() {
        return String.format("%s@%x{direct=%d/%d,heap=%d/%d,owned=%b}", getClass().getSimpleName(), hashCode(),
                getDirectMemory(), getMaxDirectMemory(), getHeapMemory(), getMaxHeapMemory(), ownsPools);
    }
}
