package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Idle trimming, on a clock the test moves (no sleeping). */
class IdleTrimTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong();

    private BufferPool pool(int tlsCacheSize) {
        // never leak-sampled: the tests follow a buffer's identity through a put and a get, and a sampled
        // get hands out a spare's view instead (see LeakDetectionTest)
        return BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(tlsCacheSize).numShards(1)
                .maxBuffersPerShard(64).leakDetection(LeakDetection.OFF).build();
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void buffersIdleLongerThanTheTimeoutAreDroppedAndRecentlyUsedOnesKept() {
        try (BufferPool pool = pool(0)) {
            List<ByteBuffer> taken = takeAll(pool, 10, 4096);
            taken.forEach(pool::put);
            assertThat(pool.trim()).isZero(); // no trim has seen them idle yet
            advance(TIMEOUT);
            ByteBuffer reused = pool.get(4096);
            pool.put(reused); // used again just now
            assertThat(pool.trim()).isEqualTo(9 * 4096L);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(1);
            assertThat(pool.get(4096)).isSameAs(reused);
        }
    }

    @Test
    void whatTheCallersOwnCacheDropsIsCountedInTheReturnedBytes() {
        try (BufferPool pool = pool(4)) {
            pool.put(pool.get(4096)); // kept in this thread's cache
            assertThat(pool.trim()).isZero();
            advance(TIMEOUT);

            assertThat(pool.trim()).isEqualTo(4096L);
            assertThat(pool.stats().pooledBuffers()).isZero();
        }
    }

    @Test
    void whatAnEndedThreadsCacheHoldsAndTheShardsHaveNoPlaceForIsCountedInTheReturnedBytes() throws Exception {
        try (BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(4)
                .numShards(1).maxBuffersPerShard(1).leakDetection(LeakDetection.OFF).build()) {
            inAThreadThatEnds(() -> takeAll(pool, 3, 4096).forEach(pool::put)); // all 3 kept in its cache

            // the one shard takes one of the three (its count bound), and the other two are dropped
            assertThat(pool.trim()).isEqualTo(2 * 4096L);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(1);
            assertThat(pool.reservedBytes()).as("bytes reserved: the one pooled").isEqualTo(4096L);
        }
    }

    @Test
    void whatAnEndedThreadsBufferEvictsToBeKeptIsCountedInTheReturnedBytes() throws Exception {
        try (BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(4)
                .numShards(1).maxBuffersPerShard(1).leakDetection(LeakDetection.OFF).build()) {
            inAThreadThatEnds(() -> pool.put(pool.get(8192)));
            assertThat(pool.stats().pooledBytes()).as("swept into the one shard").isEqualTo(8192L);
            inAThreadThatEnds(() -> pool.put(pool.get(4096)));

            // the shard's count bound binds: CLOCK-Pro evicts the 8 KiB buffer to keep the 4 KiB one
            assertThat(pool.trim()).isEqualTo(8192L);
            assertThat(pool.stats().pooledBytes()).isEqualTo(4096L);
        }
    }

    @Test
    void clearCountsTheEndedThreadsBuffersTheShardsHadNoPlaceFor() throws Exception {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(4).numShards(1).maxBuffersPerShard(1)
                .evictionPolicy(EvictionPolicy.LIFO).leakDetection(LeakDetection.OFF).build()) {
            inAThreadThatEnds(() -> takeAll(pool, 3, 4096).forEach(pool::put)); // all 3 kept in its cache

            assertThat(pool.clear()).as("two refused by the shard, one drained from it").isEqualTo(3 * 4096L);
            assertThat(pool.stats().pooledBuffers()).isZero();
        }
    }

    @Test
    void nothingIsDroppedBeforeTheTimeout() {
        try (BufferPool pool = pool(0)) {
            takeAll(pool, 5, 8192).forEach(pool::put);
            pool.trim();
            advance(TIMEOUT.minusSeconds(1));
            assertThat(pool.trim()).isZero();
            assertThat(pool.stats().pooledBuffers()).isEqualTo(5);
            advance(Duration.ofSeconds(1));
            assertThat(pool.trim()).isEqualTo(5 * 8192L);
        }
    }

    @Test
    void afterALoadSpikeMemoryReturnsToTheIdleLevelThreadCachesIncluded() throws Exception {
        try (BufferPool pool = BufferPool.builder().ticker(now::get).idleTimeout(TIMEOUT).tlsCacheSize(4)
                .numShards(4).maxBuffersPerShard(64).build()) {
            // A spike: worker threads take and return many buffers; two of them stay alive, idle.
            CountDownLatch allTaken = new CountDownLatch(4);
            CountDownLatch spikeDone = new CountDownLatch(4);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                boolean staysAlive = w < 2;
                Thread worker = new Thread(() -> {
                    List<ByteBuffer> taken = takeAll(pool, 20, 65536);
                    allTaken.countDown();
                    awaitQuietly(allTaken); // all 80 are out at once: the peak
                    taken.forEach(pool::put);
                    spikeDone.countDown();
                    if (staysAlive) {
                        awaitQuietly(release);
                        pool.put(pool.get(65536)); // its next call applies the pending trim to its cache
                    }
                });
                workers.add(worker);
                worker.start();
            }
            spikeDone.await();
            workers.get(2).join(); // the two that do not stay alive have ended: their caches are reclaimable
            workers.get(3).join();
            long spikeBytes = pool.stats().pooledBytes();
            assertThat(spikeBytes).isEqualTo(80 * 65536L);

            pool.trim(); // the periodic trim right after the spike: nothing idle long enough yet
            assertThat(pool.stats().pooledBytes()).isEqualTo(spikeBytes);
            advance(TIMEOUT);
            pool.trim(); // everything returned before the previous trim has now been idle for the timeout
            release.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            PoolStats stats = pool.stats();
            // Left: the two buffers the living threads just used, and nothing of the spike.
            assertThat(stats.pooledBuffers()).isEqualTo(2);
            assertThat(stats.pooledBytes()).isEqualTo(2 * 65536L);
        }
    }

    private static void inAThreadThatEnds(Runnable task) throws InterruptedException {
        Thread thread = new Thread(task);
        thread.start();
        thread.join();
    }

    private static List<ByteBuffer> takeAll(BufferPool pool, int count, int size) {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(pool.get(size));
        }
        return taken;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
