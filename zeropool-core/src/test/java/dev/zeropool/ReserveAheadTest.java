package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thread that only returns buffers (a hand-off's consumer) has no credit from earlier gets: its cache
 * reserves ahead, so the shared byte budget is written once or twice per cache-full of puts, and only
 * while the budget has headroom; a cache that also serves gets, whose credit the budget's reclaimer
 * cannot reach, reserves only what it holds.
 */
class ReserveAheadTest {

    private static final int SIZE = 4096;

    @Test
    void aConsumersCacheReservesForSeveralPutsAtOnce() {
        // A fixed shard count, so that the credit chunk (a sixteenth of the budget over the shards) covers
        // the seven buffers ahead whatever the machine's CPU count.
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(16).numShards(4).maxPooledBytes(64L << 20)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 10);
            pool.put(taken.get(0));
            assertThat(pool.reservedBytes()).as("the first put, into an empty cache, reserves its own bytes")
                    .isEqualTo(SIZE);
            pool.put(taken.get(1));
            long ahead = (long) SIZE * ThreadCache.RESERVE_AHEAD;
            assertThat(pool.reservedBytes()).as("the second: the cache only returns, it reserves seven ahead")
                    .isEqualTo(2L * SIZE + ahead);
            for (int i = 2; i <= ThreadCache.RESERVE_AHEAD + 1; i++) {
                pool.put(taken.get(i));
            }
            assertThat(pool.reservedBytes()).as("the next seven puts used the credit").isEqualTo(9L * SIZE);
            pool.put(taken.get(9));
            assertThat(pool.reservedBytes()).as("the tenth reserved ahead again, for the six slots left")
                    .isEqualTo(16L * SIZE);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBytes()).isEqualTo(10L * SIZE);
            assertThat(stats.dropped()).isZero();
        }
    }

    @Test
    void noMoreIsReservedAheadThanTheCacheHasSlotsFor() {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(3).numShards(4).maxPooledBytes(64L << 20)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 2);
            taken.forEach(pool::put);
            assertThat(pool.reservedBytes()).as("two held, one slot left").isEqualTo(3L * SIZE);
        }
    }

    @Test
    void aCacheThatServesGetsReservesNoMoreThanItsPuts() {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(16).numShards(4).maxPooledBytes(64L << 20)
                .leakDetection(LeakDetection.OFF).build()) {
            pool.put(pool.get(SIZE));
            ByteBuffer held = pool.get(SIZE); // a hit: from now on this cache takes as well as returns
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 3);
            taken.forEach(pool::put);
            pool.put(held);
            assertThat(pool.reservedBytes()).isEqualTo(4L * SIZE);
        }
    }

    @Test
    void reservingAheadNeverMakesAPutDropWhileTheBudgetHasRoomForWhatIsHeld() throws Exception {
        // Nine request threads each take, return and take again a buffer, and stay alive holding it: each
        // cache is empty, with one buffer's worth of credit. Then one thread returns 30 buffers: with
        // 9 + 30 of a 64-buffer budget in use, every one of them must be kept.
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(16).numShards(1).maxPooledBytes(64L * SIZE)
                .leakDetection(LeakDetection.OFF).build()) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(9);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<Thread> requests = new ArrayList<>();
            for (int t = 0; t < 9; t++) {
                Thread request = new Thread(() -> {
                    pool.put(pool.get(SIZE));
                    ByteBuffer kept = pool.get(SIZE);
                    done.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    pool.put(kept);
                });
                requests.add(request);
                request.start();
            }
            done.await();
            List<ByteBuffer> returned = takeOnAnotherThread(pool, 30);
            returned.forEach(pool::put);
            PoolStats stats = pool.stats();
            assertThat(stats.dropped()).as("dropped with room in the budget").isZero();
            assertThat(pool.reservedBytes()).isLessThanOrEqualTo(64L * SIZE);
            release.countDown();
            for (Thread request : requests) {
                request.join();
            }
        }
    }

    @Test
    void aBudgetWithLessThanAQuarterFreeIsReservedExactly() {
        // 20 buffers' worth of budget, one shard so that the credit chunk (a sixteenth) covers one buffer:
        // from the second put on, every other put reserves two buffers' worth and the next uses the credit.
        // At the 16th, reserving two would leave 3 free, under a quarter (5): it reserves exactly its own.
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(64).numShards(1).maxPooledBytes(20L * SIZE)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 16);
            for (ByteBuffer buffer : taken) {
                pool.put(buffer);
            }
            assertThat(pool.reservedBytes()).isEqualTo(16L * SIZE);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(16);
            assertThat(stats.dropped()).isZero();
        }
    }

    /** Buffers taken by a thread that then ends, so that this thread's cache starts without credit. */
    private static List<ByteBuffer> takeOnAnotherThread(BufferPool pool, int count) {
        List<ByteBuffer> taken = new ArrayList<>();
        Thread taker = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                taken.add(pool.get(SIZE));
            }
        });
        taker.start();
        try {
            taker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return taken;
    }
}
