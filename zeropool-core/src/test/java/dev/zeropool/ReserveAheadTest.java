package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thread that only returns buffers (a hand-off's consumer) has no credit from earlier gets: its cache
 * reserves ahead, so the shared byte budget is written once per several puts, and only while the
 * budget has headroom.
 */
class ReserveAheadTest {

    private static final int SIZE = 4096;

    @Test
    void aConsumersCacheReservesForSeveralPutsAtOnce() {
        // A fixed shard count, so that the credit chunk (a sixteenth of the budget over the shards) covers
        // the seven buffers ahead whatever the machine's CPU count.
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(16).numShards(4).maxPooledBytes(64L << 20)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 9);
            pool.put(taken.get(0));
            long ahead = (long) SIZE * ThreadCache.RESERVE_AHEAD;
            assertThat(pool.reservedBytes()).as("one buffer held, the next seven reserved ahead")
                    .isEqualTo(SIZE + ahead);
            for (int i = 1; i <= ThreadCache.RESERVE_AHEAD; i++) {
                pool.put(taken.get(i));
            }
            assertThat(pool.reservedBytes()).as("the next seven puts used the credit").isEqualTo(8L * SIZE);
            pool.put(taken.get(8));
            assertThat(pool.reservedBytes()).as("the ninth reserved ahead again").isEqualTo(9L * SIZE + ahead);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBytes()).isEqualTo(9L * SIZE);
            assertThat(stats.dropped()).isZero();
        }
    }

    @Test
    void noMoreIsReservedAheadThanTheCacheHasSlotsFor() {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(3).numShards(4).maxPooledBytes(64L << 20)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 1);
            pool.put(taken.get(0));
            assertThat(pool.reservedBytes()).as("one held, two slots left").isEqualTo(3L * SIZE);
        }
    }

    @Test
    void aBudgetWithLessThanAQuarterFreeIsReservedExactly() {
        // 20 buffers' worth of budget, one shard so that the credit chunk (a sixteenth) covers one buffer:
        // odd puts reserve two buffers' worth, even ones use the credit. At the 15th, reserving two would
        // leave 4 free, under a quarter (5): it reserves exactly its own.
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(64).numShards(1).maxPooledBytes(20L * SIZE)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = takeOnAnotherThread(pool, 15);
            for (ByteBuffer buffer : taken) {
                pool.put(buffer);
            }
            assertThat(pool.reservedBytes()).isEqualTo(15L * SIZE);
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(15);
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
