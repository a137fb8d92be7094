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

    @Test
    void hitsAreCountedPerClassExactlyWhenGetsSwitchBetweenClasses() {
        int small = classes.indexOfCapacity(4096);
        int large = classes.indexOfCapacity(8192);
        Shard wide = new Shard(3, 64, classes, budget, EvictionPolicy.CLOCK_PRO);
        for (int i = 0; i < 6; i++) {
            wide.offer(small, ByteBuffer.allocateDirect(4096), true, 0, evicted::add);
        }
        for (int i = 0; i < 5; i++) {
            wide.offer(large, ByteBuffer.allocateDirect(8192), true, 0, evicted::add);
        }
        // runs of one class (counted in the shard's fields) broken by the other
        int[] takes = {small, small, large, small, large, large, large, small, small};
        for (int sizeClass : takes) {
            assertThat(wide.take(sizeClass)).isNotNull();
        }
        assertThat(wide.take(small)).isNotNull();
        long[] pooled = new long[classes.count()];
        long[] hits = new long[classes.count()];
        long[] misses = new long[classes.count()];
        long[] evictions = new long[classes.count()];
        wide.lock();
        try {
            wide.addClassStatsLocked(pooled, hits, misses, evictions);
        } finally {
            wide.unlock();
        }
        assertThat(hits[small]).isEqualTo(6);
        assertThat(hits[large]).isEqualTo(4);
        assertThat(pooled[small]).isZero();
        assertThat(pooled[large]).isEqualTo(1);
        assertThat(wide.stats().hits()).isEqualTo(10);
        assertThat(wide.take(small)).isNull();
        assertThat(wide.stats().hits()).isEqualTo(10);
    }

    @Test
    void aStealTakesOneAndMovesTheRestOfTheClassHomeAsABlockUpToTheHomesRoom() {
        int sizeClass = classes.indexOfCapacity(4096);
        Shard victim = new Shard(1, 64, classes, budget, EvictionPolicy.CLOCK_PRO);
        Shard home = new Shard(2, 8, classes, budget, EvictionPolicy.CLOCK_PRO);
        java.util.Set<ByteBuffer> offered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 12; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            offered.add(buffer);
            assertThat(victim.offer(sizeClass, buffer, true, 0, evicted::add)).isTrue();
        }
        assertThat(home.offer(sizeClass, ByteBuffer.allocateDirect(4096), true, 0, evicted::add)).isTrue();
        victim.lock();
        home.lock();
        ByteBuffer taken;
        try {
            taken = victim.stealLocked(sizeClass, home, 5);
        } finally {
            home.unlock();
            victim.unlock();
        }
        assertThat(offered).contains(taken);
        // Home had room for 7 more of its 8; the victim keeps the other 4.
        assertThat(home.stats().buffers()).isEqualTo(8);
        assertThat(home.stats().bytes()).isEqualTo(8L * 4096);
        assertThat(victim.stats().buffers()).isEqualTo(4);
        assertThat(victim.stats().bytes()).isEqualTo(4L * 4096);
        assertThat(victim.stats().hits()).isEqualTo(1);
        java.util.Set<ByteBuffer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(taken);
        for (Shard shard : List.of(home, victim)) {
            for (ByteBuffer buffer; (buffer = shard.take(sizeClass)) != null; ) {
                assertThat(seen.add(buffer)).as("held twice").isTrue();
            }
        }
        assertThat(seen).hasSize(13); // 12 offered to the victim, 1 to home: nothing lost or duplicated
        assertThat(seen).containsAll(offered);
    }

    @Test
    void atTheCountBoundAVictimIsEvictedOnlyIfTheIncomingBufferThenFits() {
        ByteBudget fourKib = new ByteBudget(4096);
        Shard oneSlot = new Shard(0, 1, classes, fourKib, EvictionPolicy.CLOCK_PRO);
        int small = classes.indexOfCapacity(4096);
        int large = classes.indexOfCapacity(8192);
        assertThat(oneSlot.offer(small, ByteBuffer.allocateDirect(4096), true, 0, evicted::add)).isTrue();

        assertThat(oneSlot.offer(large, ByteBuffer.allocateDirect(8192), true, 0, evicted::add)).isFalse();

        assertThat(evicted).as("evicted for a buffer dropped anyway").isEmpty();
        assertThat(oneSlot.stats().buffers()).isEqualTo(1);
        assertThat(fourKib.reserved()).as("reserved: the 4 KiB buffer, no leftover credit").isEqualTo(4096);
    }

    @Test
    void forBytesVictimsAreEvictedOnlyIfTheIncomingBufferThenFits() {
        ByteBudget sixteenKib = new ByteBudget(4 * 4096);
        Shard roomy = new Shard(0, 64, classes, sixteenKib, EvictionPolicy.CLOCK_PRO);
        int small = classes.indexOfCapacity(4096);
        int large = classes.indexOfCapacity(8192);
        assertThat(roomy.offer(small, ByteBuffer.allocateDirect(4096), true, 0, evicted::add)).isTrue();
        assertThat(roomy.offer(small, ByteBuffer.allocateDirect(4096), true, 0, evicted::add)).isTrue();
        assertThat(roomy.offer(large, ByteBuffer.allocateDirect(8192), true, 0, evicted::add)).isTrue();
        assertThat(sixteenKib.available()).isZero();

        // the 8 KiB class is cold (no get referenced it): the hand may choose a 4 KiB victim, then reach it
        boolean kept = roomy.offer(large, ByteBuffer.allocateDirect(8192), true, 0, evicted::add);

        assertThat(kept ? 2 : 0).as("kept=%s, evicted %d", kept, evicted.size()).isEqualTo(evicted.size());
        assertThat(sixteenKib.reserved()).isEqualTo(roomy.stats().bytes());
    }
}
