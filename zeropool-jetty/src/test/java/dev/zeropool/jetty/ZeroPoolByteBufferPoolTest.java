package dev.zeropool.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zeropool.BufferPool;
import dev.zeropool.LeakDetection;
import dev.zeropool.PoolStats;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter's contract, against real ZeroPool pools and real direct memory. */
class ZeroPoolByteBufferPoolTest {

    private static final int MAX_BUFFER_SIZE = 64 * 1024;

    // Never leak-sampled: the tests follow a buffer's identity and capacity through a release and the next
    // acquire, and a sampled get hands out a view of a spare one byte larger than the class instead.
    private final BufferPool directPool = BufferPool.builder().direct(true).maxBufferSize(MAX_BUFFER_SIZE)
            .leakDetection(LeakDetection.OFF).build();
    private final BufferPool heapPool = BufferPool.builder().direct(false).maxBufferSize(MAX_BUFFER_SIZE)
            .leakDetection(LeakDetection.OFF).build();
    private final ZeroPoolByteBufferPool pool = new ZeroPoolByteBufferPool(directPool, heapPool);

    @AfterEach
    void closePools() {
        directPool.close();
        heapPool.close();
    }

    @Test
    void acquireHandsOutAnEmptyBufferInFlushModeAsJettysPoolsDo() {
        RetainableByteBuffer buffer = pool.acquire(5000, true);

        ByteBuffer byteBuffer = buffer.getByteBuffer();
        assertThat(byteBuffer.position()).isZero();
        assertThat(byteBuffer.limit()).isZero();
        assertThat(byteBuffer.capacity()).isGreaterThanOrEqualTo(5000);
        assertThat(byteBuffer.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(buffer.canRetain()).isTrue();
        assertThat(buffer.isRetained()).isFalse();
        buffer.release();
    }

    @Test
    void aReusedBufferIsHandedOutEmptyAgain() {
        RetainableByteBuffer first = pool.acquire(4096, true);
        ByteBuffer byteBuffer = first.getByteBuffer();
        byteBuffer.clear().put(new byte[100]).flip(); // Jetty leaves it in whatever state it used it
        first.release();

        RetainableByteBuffer second = pool.acquire(4096, true);

        assertThat(second.getByteBuffer()).isSameAs(byteBuffer); // reused: the point of the pool
        assertThat(second.getByteBuffer().position()).isZero();
        assertThat(second.getByteBuffer().limit()).isZero();
        second.release();
    }

    @Test
    void directRequestsAreServedByTheDirectPoolAndHeapRequestsByTheHeapPool() {
        RetainableByteBuffer direct = pool.acquire(8192, true);
        RetainableByteBuffer heap = pool.acquire(8192, false);

        assertThat(direct.isDirect()).isTrue();
        assertThat(heap.isDirect()).isFalse();
        assertThat(directPool.stats().gets()).isEqualTo(1);
        assertThat(heapPool.stats().gets()).isEqualTo(1);

        direct.release();
        heap.release();
        assertThat(directPool.stats().puts()).isEqualTo(1);
        assertThat(heapPool.stats().puts()).isEqualTo(1);
    }

    @Test
    void theBufferGoesBackToThePoolOnlyWhenItsLastReferenceIsReleased() {
        RetainableByteBuffer buffer = pool.acquire(8192, true);
        buffer.retain();
        buffer.retain();
        assertThat(buffer.isRetained()).isTrue();

        assertThat(buffer.release()).isFalse();
        assertThat(buffer.release()).isFalse();
        assertThat(directPool.stats().puts()).isZero();
        assertThat(pool.getDirectByteBuffersInUse()).isEqualTo(1);

        assertThat(buffer.release()).isTrue();
        assertThat(directPool.stats().puts()).isEqualTo(1);
        assertThat(pool.getDirectByteBuffersInUse()).isZero();
    }

    @Test
    void releasingTwiceThrowsNamingTheBufferAndHandsItBackOnlyOnce() {
        RetainableByteBuffer buffer = pool.acquire(8192, true);
        buffer.release();

        assertThatThrownBy(buffer::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("direct buffer of capacity 8192")
                .hasMessageContaining("already released");
        assertThat(directPool.stats().puts()).isEqualTo(1);
        assertThat(directPool.stats().rejected()).isZero();
    }

    @Test
    void retainingAReleasedBufferThrows() {
        RetainableByteBuffer buffer = pool.acquire(8192, false);
        buffer.release();

        assertThatThrownBy(buffer::retain)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("heap buffer of capacity 8192")
                .hasMessageContaining("already released");
    }

    @Test
    void referencesReleasedOnOtherThreadsHandEachBufferBackExactlyOnce() throws InterruptedException {
        int buffers = 200;
        int threads = 4;
        List<RetainableByteBuffer> acquired = new ArrayList<>();
        for (int i = 0; i < buffers; i++) {
            RetainableByteBuffer buffer = pool.acquire(4096 * (1 + i % 4), i % 2 == 0);
            for (int t = 1; t < threads; t++) {
                buffer.retain(); // one reference per releasing thread
            }
            acquired.add(buffer);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger lastReleases = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> releasers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread releaser = new Thread(() -> {
                try {
                    start.await();
                    for (RetainableByteBuffer buffer : acquired) {
                        if (buffer.release()) {
                            lastReleases.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            releaser.start();
            releasers.add(releaser);
        }
        start.countDown();
        for (Thread releaser : releasers) {
            releaser.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(lastReleases.get()).isEqualTo(buffers);
        PoolStats direct = directPool.stats();
        PoolStats heap = heapPool.stats();
        assertThat(direct.puts() + heap.puts()).isEqualTo(buffers);
        assertThat(direct.rejected() + heap.rejected()).isZero();
        assertThat(pool.getDirectByteBuffersInUse() + pool.getHeapByteBuffersInUse()).isZero();
    }

    @Test
    void clearDropsWhatThePoolsHoldIdleAtOnceAsJettysOwnPoolsDo() {
        // No thread caches: what is released goes to the shards, which clear() empties.
        try (ZeroPoolByteBufferPool shared = ZeroPoolByteBufferPool.owning(
                BufferPool.builder().direct(true).tlsCacheSize(0).build(),
                BufferPool.builder().direct(false).tlsCacheSize(0).build())) {
            List<RetainableByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taken.add(shared.acquire(8192, true));
                taken.add(shared.acquire(8192, false));
            }
            ByteBuffer first = taken.get(0).getByteBuffer();
            taken.forEach(RetainableByteBuffer::release);
            assertThat(shared.directStats().pooledBytes()).isEqualTo(3 * 8192);
            assertThat(shared.heapStats().pooledBytes()).isEqualTo(3 * 8192);

            shared.clear();

            assertThat(shared.directStats().pooledBytes()).isZero();
            assertThat(shared.heapStats().pooledBytes()).isZero();
            RetainableByteBuffer fresh = shared.acquire(8192, true);
            assertThat(fresh.getByteBuffer()).isNotSameAs(first);
            fresh.release();
        }
    }

    @Test
    void aBufferReleasedAfterClearStillGoesBackToThePool() {
        RetainableByteBuffer buffer = pool.acquire(8192, true);

        pool.clear();

        assertThat(buffer.release()).isTrue();
        assertThat(directPool.stats().puts()).isEqualTo(1);
        assertThat(directPool.stats().kept()).isEqualTo(1);
        RetainableByteBuffer again = pool.acquire(8192, true);
        assertThat(again.getByteBuffer()).isSameAs(buffer.getByteBuffer());
        again.release();
    }

    @Test
    void sizesAboveMaxBufferSizeAreServedUnpooledAndStillWork() {
        int size = 4 * MAX_BUFFER_SIZE + 3;
        RetainableByteBuffer buffer = pool.acquire(size, true);
        ByteBuffer byteBuffer = buffer.getByteBuffer();
        assertThat(byteBuffer.capacity()).isEqualTo(size);
        assertThat(byteBuffer.limit()).isZero();

        byteBuffer.clear();
        for (int i = 0; i < size; i++) {
            byteBuffer.put((byte) i);
        }
        byteBuffer.flip();
        for (int i = 0; i < size; i++) {
            assertThat(byteBuffer.get(i)).isEqualTo((byte) i);
        }
        assertThat(buffer.release()).isTrue();

        PoolStats stats = directPool.stats();
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.dropped()).isEqualTo(1); // unpooled by design: not kept, not lost
        assertThat(stats.gets()).isEqualTo(stats.puts());
        assertThat(stats.pooledBytes()).isZero();
    }

    @Test
    void aNegativeSizeIsRefusedNamingTheValueAndTheRange() {
        assertThatThrownBy(() -> pool.acquire(-1, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1")
                .hasMessageContaining("[0, 2147483647]");
    }

    @Test
    void aRemovedPinnedBufferIsUnlockedNotLeftLockedAndHeldByThePool() {
        BufferPool pinned = BufferPool.builder().direct(true).pinnedMemory(true).maxBufferSize(MAX_BUFFER_SIZE)
                .leakDetection(LeakDetection.OFF).build();
        try (ZeroPoolByteBufferPool jetty = ZeroPoolByteBufferPool.owning(pinned,
                BufferPool.builder().direct(false).build())) {
            RetainableByteBuffer buffer = jetty.acquire(65536, true);
            assumeTrue(pinned.stats().pinnedBytes() == 65536, "needs mlock (ulimit -l of at least 64 KiB)");

            assertThat(jetty.removeAndRelease(buffer)).isTrue();

            assertThat(pinned.stats().pinnedBytes()).as("bytes still locked for a removed buffer").isZero();
        }
    }

    @Test
    void aRemovedBufferIsNeverReused() {
        RetainableByteBuffer buffer = pool.acquire(8192, true);
        buffer.retain();

        assertThat(pool.removeAndRelease(buffer)).isFalse();
        assertThat(buffer.release()).isTrue();

        PoolStats stats = directPool.stats();
        assertThat(stats.kept()).as("kept for reuse").isZero();
        assertThat(stats.dropped()).as("discarded: a put the pool dropped, so every get has its put").isEqualTo(1);
        assertThat(stats.puts()).isEqualTo(stats.gets());
        assertThat(pool.getRemovedByteBufferCount()).isEqualTo(1);
        assertThat(pool.getDirectByteBuffersInUse()).isZero();
        RetainableByteBuffer next = pool.acquire(8192, true);
        assertThat(next.getByteBuffer()).isNotSameAs(buffer.getByteBuffer());
        next.release();
    }

    /**
     * Jetty 12.1's {@code slice()} of one of ours is a new {@code Pooled} that counts its references on ours
     * (ours is its {@code Retainable.Wrapper#getWrapped()}, and it is no {@code RetainableByteBuffer.Wrapper}):
     * removing the buffer through the slice must still keep it from reuse. Jetty 12.0 has no such slice.
     */
    @Test
    void aBufferRemovedThroughASliceIsNeverReused() throws ReflectiveOperationException {
        Method slice;
        try {
            slice = RetainableByteBuffer.class.getMethod("slice");
        } catch (NoSuchMethodException jetty120) {
            assumeTrue(false, "Jetty 12.0: RetainableByteBuffer has no slice()");
            return;
        }
        RetainableByteBuffer buffer = pool.acquire(8192, true);
        RetainableByteBuffer view = (RetainableByteBuffer) slice.invoke(buffer); // a second reference to ours
        assertThat(buffer.release()).isFalse();

        assertThat(pool.removeAndRelease(view)).as("the slice held the last reference").isTrue();

        assertThat(directPool.stats().kept()).as("kept for reuse").isZero();
        assertThat(pool.getRemovedByteBufferCount()).isEqualTo(1);
        assertThat(pool.getDirectByteBuffersInUse()).isZero();
        RetainableByteBuffer next = pool.acquire(8192, true);
        assertThat(next.getByteBuffer()).isNotSameAs(buffer.getByteBuffer());
        next.release();
    }

    @Test
    void poolsOfTheWrongKindAreRefused() {
        assertThatThrownBy(() -> new ZeroPoolByteBufferPool(heapPool, directPool))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the direct pool must hand out direct buffers");
        assertThatThrownBy(() -> new ZeroPoolByteBufferPool(directPool, directPool))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the heap pool must hand out heap buffers");
    }

    @Test
    void afterItsPoolClosedAcquireServesFreshUnpooledBuffersInsteadOfFailing() throws IOException {
        // Spring Boot closes its beans before it stops the Jetty server: a request still running then used
        // to get an IllegalStateException from acquire
        RetainableByteBuffer before = pool.acquire(4096, true);
        directPool.close();
        heapPool.close();

        RetainableByteBuffer direct = pool.acquire(5000, true);
        RetainableByteBuffer heap = pool.acquire(300, false);

        assertThat(direct.isDirect()).isTrue();
        assertThat(heap.isDirect()).isFalse();
        ByteBuffer byteBuffer = direct.getByteBuffer();
        assertThat(byteBuffer.capacity()).isEqualTo(5000);
        assertThat(byteBuffer.position()).isZero();
        assertThat(byteBuffer.limit()).isZero();
        assertThat(byteBuffer.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(pool.getDirectByteBuffersInUse()).isEqualTo(2);
        StringBuilder dump = new StringBuilder();
        pool.dump(dump, "");
        assertThat(dump).contains("direct: ").contains("closed (served unpooled since: 1)");

        assertThat(direct.release()).isTrue();
        assertThat(heap.release()).isTrue();
        assertThat(before.release()).as("a buffer from before the close comes back (and is dropped)").isTrue();
        assertThatThrownBy(direct::release).isInstanceOf(IllegalStateException.class);
        assertThat(pool.getDirectByteBuffersInUse()).isZero();
        assertThat(pool.getHeapByteBuffersInUse()).isZero();
        PoolStats stats = directPool.stats();
        assertThat(stats.gets()).as("only the get before the close").isEqualTo(1);
        assertThat(stats.puts()).isEqualTo(1);
        assertThat(stats.pooledBuffers()).isZero();
    }

    @Test
    void aRemovedBufferServedAfterTheCloseIsDroppedWithoutTouchingThePool() {
        directPool.close();
        RetainableByteBuffer buffer = pool.acquire(4096, true);
        assertThat(pool.removeAndRelease(buffer)).isTrue();
        assertThat(pool.getDirectByteBuffersInUse()).isZero();
        assertThat(directPool.stats().puts()).as("nothing handed to the closed pool").isZero();
    }

    @Test
    void borrowedPoolsStayOpenAndOwnedPoolsAreClosed() {
        pool.close();
        assertThat(directPool.isClosed()).isFalse();
        assertThat(heapPool.isClosed()).isFalse();

        BufferPool ownedDirect = BufferPool.builder().build();
        BufferPool ownedHeap = BufferPool.builder().direct(false).build();
        ZeroPoolByteBufferPool owning = ZeroPoolByteBufferPool.owning(ownedDirect, ownedHeap);
        owning.close();
        assertThat(ownedDirect.isClosed()).isTrue();
        assertThat(ownedHeap.isClosed()).isTrue();
    }

    @Test
    void memoryAttributesCountPooledAndInUseBuffers() {
        RetainableByteBuffer held = pool.acquire(8192, true);
        pool.acquire(4096, true).release();

        assertThat(pool.getDirectByteBuffersInUse()).isEqualTo(1);
        assertThat(pool.getAvailableDirectMemory()).isEqualTo(4096);
        assertThat(pool.getDirectMemory()).isEqualTo(4096 + 8192);
        assertThat(pool.getDirectByteBufferCount()).isEqualTo(2);
        assertThat(pool.getHeapMemory()).isZero();
        held.release();
    }

    @Test
    void theDumpHasOneLinePerPool() throws IOException {
        pool.acquire(8192, true).release();

        StringBuilder dump = new StringBuilder();
        pool.dump(dump, "");

        assertThat(dump).contains("ZeroPoolByteBufferPool@");
        assertThat(dump).containsPattern("direct: pooled=1 buffers/8192 bytes");
        assertThat(dump).contains("heap: pooled=0 buffers/0 bytes");
    }
}
