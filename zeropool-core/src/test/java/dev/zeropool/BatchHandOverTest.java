package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A put that finds its thread cache full hands the cache's buffers of that class to the shared tier with
 * the incoming one; their byte reservation moves with them, and whatever the shard refuses gives its
 * reservation back.
 */
class BatchHandOverTest {

    @Test
    void buffersAShardRefusesGiveTheirReservationBack() {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(2).numShards(1).maxBuffersPerShard(1)
                .maxPooledBytes(1 << 20).leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taken.add(pool.get(4096));
            }
            taken.forEach(pool::put); // the third finds the cache full: three go to a shard that holds one
            pool.trim(); // shards give their spare credit back; nothing has been idle for the timeout yet
            PoolStats stats = pool.stats();
            assertThat(stats.pooledBuffers()).isEqualTo(1);
            assertThat(stats.kept() + stats.dropped()).isEqualTo(3);
            assertThat(pool.reservedBytes()).as("reserved with one buffer pooled").isEqualTo(stats.pooledBytes());
        }
    }

    @Test
    void aConsumerThatOnlyReturnsHandsOverInBatchesOfTheCacheSizePlusOne() {
        try (BufferPool pool = BufferPool.builder().tlsCacheSize(4).numShards(2)
                .leakDetection(LeakDetection.OFF).build()) {
            List<ByteBuffer> taken = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                taken.add(pool.get(4096));
            }
            taken.forEach(pool::put); // 4 cached, then 4 + 1 handed over together, then 3 cached
            PoolStats stats = pool.stats();
            int inShards = stats.shards().stream().mapToInt(ShardStats::buffers).sum();
            assertThat(inShards).isEqualTo(5);
            assertThat(stats.pooledBuffers()).isEqualTo(8);
            assertThat(stats.dropped()).isZero();
        }
    }
}
