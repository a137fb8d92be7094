package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {

    private final SizeClasses classes = new SizeClasses(4096, 1 << 20);
    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final Shard shard = new Shard(0, 4, classes, budget, EvictionPolicy.CLOCK_PRO);
    private final List<ByteBuffer> evicted = new ArrayList<>();

    @Test
    void aClosedShardRefusesLateOffersAndHoldsNothing() {
        ByteBuffer before = ByteBuffer.allocateDirect(4096);
        assertThat(shard.offer(0, before, true, 0, evicted::add)).isTrue();
        assertThat(shard.close()).containsExactly(before);
        // A put that saw the pool open can reach the shard after close(): it must not be kept.
        assertThat(shard.offer(0, ByteBuffer.allocateDirect(4096), true, 0, evicted::add)).isFalse();
        assertThat(shard.stats().buffers()).isZero();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void bytesOfKeptBuffersAreReservedAndTakenBuffersGiveThemBack() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8192);
        shard.offer(classes.indexOfCapacity(8192), buffer, true, 0, evicted::add);
        assertThat(budget.reserved()).isEqualTo(8192);
        assertThat(shard.take(classes.indexOfCapacity(8192))).isSameAs(buffer);
        assertThat(budget.reserved()).isZero();
        assertThat(evicted).isEmpty();
    }
}
